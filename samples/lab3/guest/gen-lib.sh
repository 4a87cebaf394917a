# gen-lib.sh - helpers for the scenario generator (sourced after /lab/lib.sh, which provides snapshot, teardown, flow, log).
# Every scenario: g_begin NAME -> topology (g_bridge, g_vm, ...) -> g_trace_setup -> g_start (lttng start, 0.5 s, snapshot pre)
#   -> flows / idle periods / port operations -> g_stop (snapshot post, 0.5 s, lttng stop, lttng list, destroy) -> g_finish PARAMS.json
# Every counter snapshot is taken inside the trace, so every packet counted between two snapshots is in the trace; each namespace's
# counter read is timed (groundtruth/time-TAG-NETNS.begin.ns / .end.ns, see snapshot below).
# Output layout per scenario = the lab's: $OUTROOT/<name>/{trace/kernel,groundtruth/,flows.jsonl,scenario.json,lttng-session-*.txt}
LTTNG_EVENTS='net_* netif_* napi_* skb_* sock_* udp_* lttng_statedump_* br_fdb_add br_fdb_external_learn_add fdb_delete br_fdb_update'
SUBBUF=256K; NSUBBUF=32
G_RS=${G_RS:-0}   # router_solicitations on IPv6-enabled VM interfaces and bridges (kernel default -1)
declare -A VM_GIF VM_VMODE VM_IP6 VM_EMTU VM_PMTU VM_V6 VM_IDLE VM_GONE VM_FASTN BR_IP BR_IP6 BR_VF BR_MAC BR_MTU
BRS=(); BG_PIDS=()

# ---------- clean state between scenarios ----------
g_teardown() {
  local p ns l
  for p in "${BG_PIDS[@]}"; do kill $p 2>/dev/null; done
  BG_PIDS=()
  for ns in $(ip netns list | awk '{print $1}'); do ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del $ns; done
  for l in $(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -v '^lo$'); do ip link del $l 2>/dev/null; done
  nft flush ruleset 2>/dev/null
  sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null
  sleep 0.3
}
g_begin() {
  S=$1; OUT=$OUTROOT/$S; rm -rf $OUT; mkdir -p $OUT; GT=$OUT/groundtruth; mkdir -p $GT
  : > $OUT/flows.jsonl; EVF=$OUT/.events.jsonl; : > $EVF
  VMS=(); BRS=()
  VM_IF=(); VM_MAC=(); VM_IP=(); VM_BR=(); VM_VID=(); VM_GIF=(); VM_VMODE=(); VM_IP6=(); VM_EMTU=(); VM_PMTU=()
  VM_V6=(); VM_IDLE=(); VM_GONE=(); VM_FASTN=(); BR_IP=(); BR_IP6=(); BR_VF=(); BR_MAC=(); BR_MTU=()
  G_T_BEGIN=$(now_ns)
  g_teardown
  log "scenario $S begin"
}
# event record (port operations, idle periods) -> scenario.json .events
g_event() { echo "$1" >> $EVF; }

# ---------- topology ----------
# g_bridge NAME MAC IP/CIDR|- VLAN_FILTERING(0|1) [MTU]
g_bridge() {
  local br=$1 mac=$2 ip=$3 vf=$4 mtu=${5:-}
  [ "$ip" = - ] && ip=""
  mkbridge $br "$ip" $mac $vf
  [ -n "$mtu" ] && ip link set $br mtu $mtu
  BRS+=($br); BR_IP[$br]=$ip; BR_VF[$br]=$vf; BR_MAC[$br]=$mac; BR_MTU[$br]=${mtu:-}; BR_IP6[$br]=""
}
# g_bridge_ip6 BR IP6/64 : IPv6 on the bridge device (root ns default is IPv6 off)
g_bridge_ip6() { sysctl -qw net.ipv6.conf.$1.router_solicitations=$G_RS; sysctl -qw net.ipv6.conf.$1.disable_ipv6=0; ip addr add $2 dev $1 nodad; BR_IP6[$1]=$2; }
# g_self_vlan BR ARGS... : bridge vlan add dev BR ARGS self   (e.g. "vid 10 pvid untagged")
g_self_vlan() { local br=$1; shift; bridge vlan add dev $br "$@" self; }
g_self_vlan_del() { bridge vlan del dev $1 vid $2 self; }
# g_patch BR0 BR1 [VID...] : veth vpatch0 (in BR0) <-> vpatch1 (in BR1): one L2 segment; VIDs added tagged on both ends
g_patch() {
  local b0=$1 b1=$2 v; shift 2
  ip link add vpatch0 type veth peer name vpatch1
  ip link set vpatch0 master $b0; ip link set vpatch1 master $b1
  for v in "$@"; do bridge vlan add dev vpatch0 vid $v; bridge vlan add dev vpatch1 vid $v; done
  ip link set vpatch0 up; ip link set vpatch1 up
}
# port VLAN config: g_port_vlan PORT VID MODE(access|tagged)
g_port_vlan() {
  local p=$1 vid=$2 mode=$3
  [ -z "$vid" ] && return 0
  bridge vlan del dev $p vid 1 2>/dev/null
  if [ "$mode" = tagged ]; then bridge vlan add dev $p vid $vid; else bridge vlan add dev $p vid $vid pvid untagged; fi
}
# _g_link NS PORT : (re)create the veth pair PORT <-> NS/eth0 with the VM's recorded MAC/IP/VLAN/MTU (no bridge)
_g_link() {
  local ns=$1 hif=$2 mac=${VM_MAC[$1]} gif=eth0
  ip link add $hif type veth peer name eth0 netns $ns
  ip -n $ns link set eth0 address $mac
  ip link set $hif address fe:${mac#*:}
  [ -n "${VM_EMTU[$ns]}" ] && ip -n $ns link set eth0 mtu ${VM_EMTU[$ns]}
  [ -n "${VM_PMTU[$ns]}" ] && ip link set $hif mtu ${VM_PMTU[$ns]}
  if [ "${VM_VMODE[$ns]}" = tagged ]; then
    gif=eth0.${VM_VID[$ns]}
    ip -n $ns link add link eth0 name $gif type vlan id ${VM_VID[$ns]}
  fi
  ip -n $ns addr add ${VM_IP[$ns]}/24 dev $gif
  [ -n "${VM_IP6[$ns]}" ] && ip -n $ns addr add ${VM_IP6[$ns]}/64 dev $gif
  VM_GIF[$ns]=$gif; VM_IF[$ns]=$hif
  # fastneigh: short reachable time on the VM's interfaces (per device: a non-initial netns has no neigh/default sysctl)
  if [ "${VM_FASTN[$ns]}" = 1 ]; then
    ip netns exec $ns sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=1000
    [ $gif != eth0 ] && ip netns exec $ns sysctl -qw net.ipv4.neigh.$gif.base_reachable_time_ms=1000
  fi
  return 0
}
# g_vm NS BR PORT MAC IP [vid=V] [vmode=access|tagged] [ip6=ADDR] [emtu=N] [pmtu=N] [idle=1] [fastneigh=1]
#   IPv6 is switched on in the netns only when ip6= is given; fastneigh=1 sets base_reachable_time_ms=1000 (neighbour probes soon after idle)
g_vm() {
  local ns=$1 br=$2 hif=$3 mac=$4 ip=$5 kv; shift 5
  VM_VID[$ns]=""; VM_VMODE[$ns]=""; VM_IP6[$ns]=""; VM_EMTU[$ns]=""; VM_PMTU[$ns]=""; VM_IDLE[$ns]=0; VM_FASTN[$ns]=0; VM_GONE[$ns]=0
  for kv in "$@"; do
    case $kv in vid=*) VM_VID[$ns]=${kv#vid=};; vmode=*) VM_VMODE[$ns]=${kv#vmode=};; ip6=*) VM_IP6[$ns]=${kv#ip6=};;
      emtu=*) VM_EMTU[$ns]=${kv#emtu=};; pmtu=*) VM_PMTU[$ns]=${kv#pmtu=};; idle=*) VM_IDLE[$ns]=${kv#idle=};; fastneigh=*) VM_FASTN[$ns]=${kv#fastneigh=};; esac
  done
  [ -n "${VM_VID[$ns]}" ] && [ -z "${VM_VMODE[$ns]}" ] && VM_VMODE[$ns]=access
  VM_MAC[$ns]=$mac; VM_IP[$ns]=$ip; VM_BR[$ns]=$br
  local d=1; [ -n "${VM_IP6[$ns]}" ] && d=0; VM_V6[$ns]=$((1-d))
  ip netns add $ns
  ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=$d net.ipv6.conf.default.disable_ipv6=$d
  # IPv6 VMs: no router solicitations (the kernel default -1 repeats them with backoff for minutes, and their floods
  # would fall between the snapshots and lttng start/stop); DAD, ND and MLD stay as they are
  [ $d = 0 ] && ip netns exec $ns sysctl -qw net.ipv6.conf.default.router_solicitations=$G_RS
  ip -n $ns link set lo up
  _g_link $ns $hif
  ip link set $hif master $br
  [ "${BR_VF[$br]}" = 1 ] && g_port_vlan $hif "${VM_VID[$ns]}" "${VM_VMODE[$ns]}"
  ip link set $hif up
  ip -n $ns link set eth0 up
  [ "${VM_VMODE[$ns]}" = tagged ] && ip -n $ns link set ${VM_GIF[$ns]} up
  VMS+=($ns)
}
# g_offload NS|root DEV FEATURE on|off ... : ethtool -K, and the resulting ethtool -k in groundtruth/
g_offload() {
  local ns=$1 dev=$2; shift 2
  if [ $ns = root ]; then ethtool -K $dev "$@"; ethtool -k $dev > $GT/ethtool-k-root-$dev.txt
  else ip netns exec $ns ethtool -K $dev "$@"; ip netns exec $ns ethtool -k $dev > $GT/ethtool-k-$ns-$dev.txt; fi
}
g_netem() { local p=$1; shift; tc qdisc add dev $p root netem "$@"; }
# nft drop of one UDP destination port: bridge family forward chain in the root ns (as scenario B), or inet input chain in a VM netns
g_nft_bridge_drop_udp() {
  nft add table bridge labfilter
  nft add chain bridge labfilter forward '{ type filter hook forward priority 0; policy accept; }'
  nft add rule bridge labfilter forward udp dport $1 counter drop
  nft add rule bridge labfilter forward counter
}
g_nft_vm_drop_udp() {
  local ns=$1 port=$2
  ip netns exec $ns nft add table inet labfilter
  ip netns exec $ns nft add chain inet labfilter input '{ type filter hook input priority 0; policy accept; }'
  ip netns exec $ns nft add rule inet labfilter input udp dport $port counter drop
  ip netns exec $ns nft add rule inet labfilter input counter
}
# g_static_neigh NS IP MAC : permanent neighbour entry (no ARP needed in the trace)
g_static_neigh() { ip -n $1 neigh replace $2 lladdr $3 dev ${VM_GIF[$1]} nud permanent; }

# ---------- counter snapshots (override lib.sh's snapshot: same files, plus per-namespace read times) ----------
# g_read_links TAG NETNS|root : one namespace's interface counters (ip -s -s -d link show -> groundtruth/link-TAG-NETNS.json),
#   with the realtime ns (date +%s%N) written right before and right after the read: groundtruth/time-TAG-NETNS.begin.ns, .end.ns
g_read_links() {
  local tag=$1 ns=$2
  date +%s%N > $GT/time-$tag-$ns.begin.ns
  if [ $ns = root ]; then ip -j -s -s -d link show > $GT/link-$tag-root.json
  else ip -n $ns -j -s -s -d link show > $GT/link-$tag-$ns.json; fi
  date +%s%N > $GT/time-$tag-$ns.end.ns
}
# snapshot TAG : ground truth for the root netns + every netns. groundtruth/time-TAG.ns (written first) as before; then the
#   interface counters of all namespaces, back to back (root first), each read timed by g_read_links; then addresses, FDB,
#   VLANs, bridge ports, qdiscs, nft, neighbours, the netns list and the combined ifstats-TAG.json, as lib.sh's snapshot.
snapshot() {
  local tag=$1 d=$GT ns nss
  mkdir -p $d
  date +%s%N > $d/time-$tag.ns
  nss=$(ip netns list | awk '{print $1}')
  g_read_links $tag root
  for ns in $nss; do g_read_links $tag $ns; done
  ip -j addr show > $d/addr-$tag-root.json
  bridge -j fdb show > $d/fdb-$tag.json
  bridge -j -s fdb show > $d/fdb-stats-$tag.json 2>/dev/null
  bridge -j -d vlan show > $d/vlan-$tag.json
  bridge -j -d link show > $d/brlink-$tag.json
  tc -j -s qdisc show > $d/tc-$tag-root.json
  nft -j list ruleset > $d/nft-$tag-root.json 2>/dev/null
  ip -j neigh show > $d/neigh-$tag-root.json
  # netns name -> nsfs inode (= lttng net_ns context / statedump ns_inum) and nsid
  { echo "{\"netns\":\"root\",\"inode\":$(stat -L -c %i /proc/1/ns/net),\"nsid\":null}"
    for ns in $nss; do
      echo "{\"netns\":\"$ns\",\"inode\":$(stat -L -c %i /run/netns/$ns),\"nsid\":$(ip netns list | awk -v n=$ns '$1==n && $2=="(id:" {gsub(/\)/,"",$3); print $3}' | grep . || echo null)}"
    done; } | jq -s . > $d/netns-$tag.json
  for ns in $nss; do
    ip -n $ns -j addr show > $d/addr-$tag-$ns.json
    ip -n $ns -j neigh show > $d/neigh-$tag-$ns.json
    ip netns exec $ns tc -j -s qdisc show > $d/tc-$tag-$ns.json
    ip netns exec $ns nft -j list ruleset > $d/nft-$tag-$ns.json 2>/dev/null
  done
  # combined per-interface counters: {"<ns>": {"<ifname>": {rx_bytes,...}}}
  ( for f in $d/link-$tag-*.json; do n=${f##*/link-$tag-}; n=${n%.json}
      jq --arg ns "$n" '{($ns): (map({(.ifname): {ifindex, address, master: (.master // null),
          rx_bytes: .stats64.rx.bytes, rx_packets: .stats64.rx.packets, rx_dropped: .stats64.rx.dropped,
          tx_bytes: .stats64.tx.bytes, tx_packets: .stats64.tx.packets, tx_dropped: .stats64.tx.dropped}}) | add)}' $f
    done ) | jq -s 'add' > $d/ifstats-$tag.json
}

# ---------- tracing ----------
g_trace_setup() {
  lttng create $S --output=$OUT/trace
  lttng enable-channel -k --discard --subbuf-size=$SUBBUF --num-subbuf=$NSUBBUF chan0
  local e
  for e in $LTTNG_EVENTS; do lttng enable-event -k -c chan0 "$e"; done
  lttng add-context -k -c chan0 -t procname -t tid -t pid -t net_ns
  lttng list $S > $OUT/lttng-session-config.txt
}
g_start() {
  local i
  # let IPv6 DAD finish before the trace and the pre snapshot (no tentative addresses)
  for i in $(seq 30); do
    local t=0 ns
    for ns in "${VMS[@]}"; do [ "${VM_V6[$ns]}" = 1 ] && ip -n $ns -6 addr show tentative | grep -q inet6 && t=1; done
    [ $t = 0 ] && break; sleep 0.2
  done
  # IPv6 scenarios: let the namespaces' start-up MLD reports / router solicitations / DAD finish before the trace starts
  # (they would be in the trace and the counters anyway; this keeps the traces small and like the earlier recordings)
  local v6=0 ns2; for ns2 in "${VMS[@]}"; do [ "${VM_V6[$ns2]}" = 1 ] && v6=1; done
  [ -n "${BR_IP6[*]}" ] && v6=1
  if [ $v6 = 1 ]; then sleep ${G_SETTLE6:-8}; else sleep ${G_SETTLE:-0.5}; fi
  # the trace starts first and the pre snapshot follows: whatever the kernel sends on its own (ARP probes, RS, MLD, DAD)
  # between the pre and post counter reads is in the trace
  lttng start $S
  TRACE_START_NS=$(now_ns)
  log "trace $S started"
  sleep ${G_SNAP_GAP:-0.5}
  TOPO_PRE=$(g_topology_json)
  snapshot pre
}
g_stop() {
  # post snapshot first, then the trace stops
  snapshot post
  sleep ${G_SNAP_GAP:-0.5}
  lttng stop $S
  TRACE_STOP_NS=$(now_ns)
  lttng list $S > $OUT/lttng-session-final.txt 2>&1
  lttng destroy $S
}

# ---------- traffic (flows.jsonl records as lib.sh, plus ip_version) ----------
# g_ping ID SRC DST_IP COUNT INTERVAL SIZE [extra ping args]
g_ping() {
  local id=$1 src=$2 dip=$3 cnt=$4 iv=$5 sz=$6; shift 6
  local v=4 hdr=28; case $dip in *:*) v=6; hdr=48;; esac
  local dl=$(awk -v c=$cnt -v i=$iv 'BEGIN{printf "%d", c*i+10}')
  local t0=$(now_ns)
  timeout $dl ip netns exec $src ping -$v -c $cnt -i $iv -s $sz -W 1 "$@" $dip > $GT/ping-$id.txt 2>&1
  local rc=$? t1=$(now_ns)
  local tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' $GT/ping-$id.txt)
  local rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' $GT/ping-$id.txt)
  local sip=${VM_IP[$src]}; [ $v = 6 ] && sip=${VM_IP6[$src]}
  flow "$(jq -cn --arg id $id --arg src $src --arg sip "$sip" --arg dip $dip --argjson cnt $cnt --arg iv $iv --argjson sz $sz --argjson v $v --argjson hdr $hdr \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc --arg tx "${tx:-}" --arg rx "${rx:-}" --arg args "$*" --arg gif ${VM_GIF[$src]} \
     '{id:$id, tool:"ping", proto:(if $v==6 then "icmpv6" else "icmp" end), ip_version:$v, src_ns:$src, src_if:$gif, src_ip:$sip, dst_ip:$dip,
       count:$cnt, interval_s:$iv, extra_args:$args, icmp_payload_bytes:$sz, ip_packet_bytes:($sz+$hdr), frame_bytes:($sz+$hdr+14),
       echo_requests_sent:($tx|tonumber? // null), echo_replies_received:($rx|tonumber? // null),
       start_ns:$t0, end_ns:$t1, rc:$rc, summary:("ping-"+$id+".txt")}')"
  log "flow $id ping $src->$dip rc=$rc tx=$tx rx=$rx"
}
# g_iperf ID SRC DST PORT tcp|udp BYTES 4|6 [extra client args]
g_iperf() {
  local id=$1 src=$2 dst=$3 port=$4 proto=$5 bytes=$6 v=$7; shift 7
  local dip=${VM_IP[$dst]} sip=${VM_IP[$src]} sp cargs=""
  [ $v = 6 ] && { dip=${VM_IP6[$dst]}; sip=${VM_IP6[$src]}; }
  [ $proto = udp ] && cargs="-u"
  timeout 90 ip netns exec $dst iperf3 -s -1 -B $dip -p $port -J > $GT/iperf3-$id-server.json 2> $GT/iperf3-$id-server.stderr & sp=$!
  wait_listen $dst $port
  local t0=$(now_ns)
  timeout 60 ip netns exec $src iperf3 -c $dip -B $sip -p $port $cargs -n $bytes --connect-timeout 3000 -J "$@" > $GT/iperf3-$id-client.json 2> $GT/iperf3-$id-client.stderr
  local rc=$?
  # a client that failed (unreachable peer) leaves the server waiting: end it
  [ $rc != 0 ] && { sleep 1; kill $sp 2>/dev/null; }
  wait $sp
  local t1=$(now_ns)
  flow "$(jq -cn --arg id $id --arg proto $proto --arg src $src --arg dst $dst --arg sip $sip --arg dip $dip --argjson v $v \
     --arg smac ${VM_MAC[$src]} --arg dmac ${VM_MAC[$dst]} --argjson port $port --arg bytes $bytes \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc --arg args "$cargs $*" \
     '{id:$id, tool:"iperf3", proto:$proto, ip_version:$v, src_ns:$src, dst_ns:$dst, src_ip:$sip, dst_ip:$dip, src_mac:$smac, dst_mac:$dmac,
       dst_port:$port, control_port:$port, payload_bytes_requested:$bytes, client_extra_args:$args,
       start_ns:$t0, end_ns:$t1, rc:$rc,
       client_json:("iperf3-"+$id+"-client.json"), server_json:("iperf3-"+$id+"-server.json")}')"
  log "flow $id iperf3 $proto $src->$dst rc=$rc"
}
# g_udp_burst ID SRC DST_IP PORT COUNT PAYLOAD : exact datagram count (lib.sh udp_burst, with a timeout)
g_udp_burst() {
  local id=$1 src=$2 dip=$3 port=$4 cnt=$5 len=$6
  local payload=$(head -c $((len-1)) /dev/zero | tr '\0' 'x') t0=$(now_ns)
  timeout 60 ip netns exec $src bash -c "for i in \$(seq $cnt); do echo '$payload' > /dev/udp/$dip/$port; sleep 0.01; done"
  local rc=$? t1=$(now_ns)
  flow "$(jq -cn --arg id $id --arg src $src --arg sip ${VM_IP[$src]} --arg dip $dip --argjson port $port --argjson cnt $cnt --argjson len $len \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc \
     '{id:$id, tool:"bash /dev/udp", proto:"udp", ip_version:4, src_ns:$src, src_ip:$sip, dst_ip:$dip, dst_port:$port, datagrams:$cnt,
       udp_payload_bytes:$len, ip_packet_bytes:($len+28), frame_bytes:($len+42), start_ns:$t0, end_ns:$t1, rc:$rc}')"
  log "flow $id udp burst $src->$dip:$port rc=$rc"
}
# g_arping ID SRC DST_IP COUNT : ARP requests only (iputils arping)
g_arping() {
  local id=$1 src=$2 dip=$3 cnt=$4 t0=$(now_ns)
  timeout 20 ip netns exec $src arping -c $cnt -w $((cnt+2)) -I ${VM_GIF[$src]} $dip > $GT/arping-$id.txt 2>&1
  local rc=$? t1=$(now_ns)
  local rx=$(sed -n 's/^Received \([0-9]*\) response.*/\1/p' $GT/arping-$id.txt)
  flow "$(jq -cn --arg id $id --arg src $src --arg sip ${VM_IP[$src]} --arg dip $dip --argjson cnt $cnt --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc --arg rx "${rx:-}" \
     '{id:$id, tool:"arping", proto:"arp", src_ns:$src, src_ip:$sip, dst_ip:$dip, datagrams:$cnt, arp_requests_sent:$cnt,
       arp_replies_received:($rx|tonumber? // null), start_ns:$t0, end_ns:$t1, rc:$rc, summary:("arping-"+$id+".txt")}')"
  log "flow $id arping $src->$dip rc=$rc rx=$rx"
}
# g_idle SECS : no traffic started by the scenario (ARP/ND timers only)
g_idle() {
  local t0=$(now_ns); sleep $1
  g_event "$(jq -cn --argjson t0 $t0 --argjson t1 $(now_ns) --arg s $1 '{op:"idle", seconds:($s|tonumber), start_ns:$t0, end_ns:$t1}')"
}
# background helpers: g_bg CMD... (e.g. g_bg g_ping ...) ; g_wait_bg
g_bg() { "$@" & BG_PIDS+=($!); }
g_wait_bg() { local p; for p in "${BG_PIDS[@]}"; do wait $p; done; BG_PIDS=(); }

# ---------- port operations during the trace ----------
_g_opev() { # op ns extra-json
  g_event "$(jq -cn --arg op $1 --arg ns $2 --arg port ${VM_IF[$2]} --arg mac ${VM_MAC[$2]} --arg ip ${VM_IP[$2]} --argjson x "$3" \
    '{op:$op, vm:$ns, port:$port, vm_mac:$mac, vm_ip:$ip} + $x')"
}
# g_move NS TO_BR : detach the VM's port from its bridge and enslave it to TO_BR (same port, MAC, IP), VLAN config re-applied
g_move() {
  local ns=$1 to=$2 p=${VM_IF[$1]} from=${VM_BR[$1]} t0=$(now_ns)
  ip link set $p nomaster
  local t1=$(now_ns)
  ip link set $p master $to
  [ "${BR_VF[$to]}" = 1 ] && g_port_vlan $p "${VM_VID[$ns]}" "${VM_VMODE[$ns]}"
  ip link set $p up
  local t2=$(now_ns); VM_BR[$ns]=$to
  _g_opev move $ns "$(jq -cn --arg f $from --arg t $to --argjson a $t0 --argjson b $t1 --argjson c $t2 '{from_bridge:$f, to_bridge:$t, nomaster_start_ns:$a, nomaster_done_ns:$b, attached_ns:$c}')"
  log "moved $ns ($p) $from -> $to"
}
# g_detach NS : port leaves its bridge (stays up, VM keeps its link); g_reattach NS BR
g_detach() {
  local ns=$1 p=${VM_IF[$1]} from=${VM_BR[$1]} t0=$(now_ns)
  ip link set $p nomaster; VM_BR[$ns]=""
  _g_opev detach $ns "$(jq -cn --arg f $from --argjson a $t0 --argjson b $(now_ns) '{from_bridge:$f, start_ns:$a, done_ns:$b}')"
}
g_reattach() {
  local ns=$1 to=$2 p=${VM_IF[$1]} t0=$(now_ns)
  ip link set $p master $to
  [ "${BR_VF[$to]}" = 1 ] && g_port_vlan $p "${VM_VID[$ns]}" "${VM_VMODE[$ns]}"
  ip link set $p up; VM_BR[$ns]=$to
  _g_opev attach $ns "$(jq -cn --arg t $to --argjson a $t0 --argjson b $(now_ns) '{to_bridge:$t, start_ns:$a, done_ns:$b}')"
}
# g_delete NS : final counters (snapshot tag predelete-PORT: root + VM netns, each read timed), then ip link del PORT (VM's eth0 goes too)
g_delete() {
  local ns=$1 p=${VM_IF[$1]} tag=predelete-${VM_IF[$1]}
  date +%s%N > $GT/time-$tag.ns
  g_read_links $tag root
  g_read_links $tag $ns
  local t0=$(now_ns); ip link del $p; local t1=$(now_ns)
  _g_opev delete $ns "$(jq -cn --arg b "${VM_BR[$ns]}" --arg tag $tag --argjson a $t0 --argjson c $t1 '{bridge:$b, snapshot:$tag, start_ns:$a, done_ns:$c}')"
  VM_GONE[$ns]=1
}
# g_replug NS BR NEWPORT : the VM comes back (same MAC/IP) behind a new port NEWPORT of BR
g_replug() {
  local ns=$1 br=$2 np=$3 old=${VM_IF[$1]} t0=$(now_ns)
  _g_link $ns $np
  ip link set $np master $br
  [ "${BR_VF[$br]}" = 1 ] && g_port_vlan $np "${VM_VID[$ns]}" "${VM_VMODE[$ns]}"
  ip link set $np up; ip -n $ns link set eth0 up
  [ "${VM_VMODE[$ns]}" = tagged ] && ip -n $ns link set ${VM_GIF[$ns]} up
  VM_BR[$ns]=$br; VM_GONE[$ns]=0
  _g_opev replug $ns "$(jq -cn --arg b $br --arg o $old --argjson a $t0 --argjson c $(now_ns) '{to_bridge:$b, old_port:$o, start_ns:$a, done_ns:$c}')"
}
# g_add_vm ARGS-of-g_vm : a VM (and its port) created during the trace
g_add_vm() {
  local t0=$(now_ns); g_vm "$@"
  _g_opev add $1 "$(jq -cn --arg b $2 --argjson a $t0 --argjson c $(now_ns) '{to_bridge:$b, start_ns:$a, done_ns:$c}')"
}

# ---------- scenario.json ----------
g_topology_json() {
  local ns
  for ns in "${VMS[@]}"; do
    jq -cn --argjson ino $(stat -L -c %i /run/netns/$ns 2>/dev/null || echo null) --arg ns $ns --arg hif ${VM_IF[$ns]} --arg mac ${VM_MAC[$ns]} \
      --arg ip ${VM_IP[$ns]} --arg ip6 "${VM_IP6[$ns]}" --arg br "${VM_BR[$ns]}" --arg vid "${VM_VID[$ns]}" --arg vm "${VM_VMODE[$ns]}" \
      --arg gif ${VM_GIF[$ns]} --arg em "${VM_EMTU[$ns]}" --arg pm "${VM_PMTU[$ns]}" --argjson idle ${VM_IDLE[$ns]} --argjson v6 ${VM_V6[$ns]} \
      --argjson gone ${VM_GONE[$ns]} --argjson fn ${VM_FASTN[$ns]} \
      '{vm:$ns, netns:$ns, netns_inode:$ino, guest_if:$gif, guest_lower_if:"eth0", mac:$mac, ip:$ip, prefixlen:24,
        ip6:(if $ip6=="" then null else $ip6 end), ipv6_enabled:($v6==1),
        bridge:(if $br=="" then null else $br end), bridge_port:$hif, bridge_port_mac:("fe:"+($mac|split(":")[1:]|join(":"))),
        vlan:(if $vid=="" then null else {vid:($vid|tonumber), mode:$vm, pvid:($vm=="access"), untagged:($vm=="access")} end),
        eth0_mtu:(if $em=="" then 1500 else ($em|tonumber) end), port_mtu:(if $pm=="" then 1500 else ($pm|tonumber) end),
        idle:($idle==1), neigh_base_reachable_ms:(if $fn==1 then 1000 else 30000 end), port_deleted:($gone==1)}'
  done | jq -s .
}
g_bridges_json() {
  local b
  for b in "${BRS[@]}"; do
    jq -cn --arg b $b --arg mac ${BR_MAC[$b]} --arg ip "${BR_IP[$b]}" --arg ip6 "${BR_IP6[$b]}" --argjson vf ${BR_VF[$b]} --arg mtu "${BR_MTU[$b]}" \
       --argjson self "$(bridge -j vlan show dev $b 2>/dev/null | jq -c '.[0].vlans // null' 2>/dev/null || echo null)" \
      '{name:$b, mac:$mac, ip:(if $ip=="" then null else $ip end), ip6:(if $ip6=="" then null else $ip6 end), vlan_filtering:($vf==1),
        stp:false, mtu:(if $mtu=="" then null else ($mtu|tonumber) end), self_vlans_at_end:$self}'
  done | jq -s .
}
# g_finish PARAMS_JSON DESCRIPTION
g_finish() {
  local pj=$1 desc=$2 f=$OUT/scenario.json
  local disc=$(sed -n 's/.*Discarded events: *\([0-9]*\).*/\1/p' $OUT/lttng-session-final.txt | awk '{s+=$1} END {print s+0}')
  local lost=$(sed -n 's/.*Lost packets: *\([0-9]*\).*/\1/p' $OUT/lttng-session-final.txt | awk '{s+=$1} END {print s+0}')
  jq -n --arg s $S --arg desc "$desc" --slurpfile p $pj --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS \
     --argjson vmspre "$TOPO_PRE" --argjson vms "$(g_topology_json)" --argjson brs "$(g_bridges_json)" \
     --slurpfile flows $OUT/flows.jsonl --slurpfile evs $EVF --arg ev "$LTTNG_EVENTS" --arg host "$(hostname)" --arg kern "$(uname -r)" \
     --arg rs "$G_RS" --arg st6 "${G_SETTLE6:-8}" --argjson disc $disc --argjson lost $lost --argjson sb $(numfmt --from=iec $SUBBUF) --argjson ns $NSUBBUF '{
    scenario:$s, description:$desc, generator:$p[0],
    clock:"all *_ns are CLOCK_REALTIME ns in the guest (date +%s%N); values stored through jq are doubles (rounded to ~256 ns); groundtruth/time-*.ns are exact",
    snapshot_order:"lttng start, 0.5 s, snapshot pre ... snapshot post, 0.5 s, lttng stop: every snapshot is inside the trace; groundtruth/time-TAG.ns = snapshot TAG begins; groundtruth/time-TAG-NETNS.begin.ns / .end.ns = right before / after reading the interface counters of namespace NETNS",
    trace_start_ns:$t0, trace_stop_ns:$t1,
    bridges:$brs, vms:$vms, vms_at_trace_start:$vmspre, flows:$flows, events:$evs,
    runtime:{ipv6_router_solicitations:($rs|tonumber), ipv6_settle_before_pre_snapshot_s:($st6|tonumber)},
    guest_hostname:$host, guest_kernel:$kern,
    lttng:{session:$s, domain:"kernel", channel:"chan0", subbuf_size:$sb, num_subbuf:$ns, event_loss_mode:"discard",
           enabled_event_patterns:($ev|split(" ")), contexts:["procname","tid","pid","net_ns"], trace_dir:"trace/kernel",
           discarded_events_reported_by_lttng:$disc, lost_packets_reported_by_lttng:$lost,
           discarded_events_source:"lttng-session-final.txt (lttng list <session> after stop)"}}' > $f
  rm -f $EVF
  G_DISC=$disc
}
