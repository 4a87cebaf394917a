# lab2 helpers, sourced after the lab's lib.sh (mkbridge, mkvm, snapshot, ping_flow, iperf_flow, topology_json)

# ipv6_off / ipv6_on: IPv4-only scenarios switch IPv6 off by sysctl (the kernel is booted with IPv6 on for the IPv6 scenario);
# devconf_inherit_init_net=1 makes new netns copy the root's disable_ipv6
ipv6_off() {
  sysctl -qw net.core.devconf_inherit_init_net=1 net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}
ipv6_on() {
  sysctl -qw net.core.devconf_inherit_init_net=0 net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
}
declare -A VM_IP6
# add_ip6 netns addr : static IPv6 address (no DAD, so it is usable at once) on the VM's eth0
add_ip6() { ip -n $1 -6 addr add $2/64 dev eth0 nodad; VM_IP6[$1]=$2; }

# iperf6_flow id src dst port proto bytes [extra client args] : iperf_flow over the VMs' IPv6 addresses
iperf6_flow() {
  local id=$1 src=$2 dst=$3 port=$4 proto=$5 bytes=$6; shift 6
  local dip=${VM_IP6[$dst]} sip=${VM_IP6[$src]} sp cargs="-6"
  [ $proto = udp ] && cargs="-6 -u"
  ip netns exec $dst timeout 60 iperf3 -s -1 -B $dip -p $port -J > $GT/iperf3-$id-server.json 2> $GT/iperf3-$id-server.stderr & sp=$!
  wait_listen $dst $port
  local t0=$(now_ns)
  ip netns exec $src timeout 60 iperf3 -c $dip -B $sip -p $port $cargs -n $bytes -J "$@" > $GT/iperf3-$id-client.json 2> $GT/iperf3-$id-client.stderr
  local rc=$?
  wait $sp
  local t1=$(now_ns)
  flow "$(jq -cn --arg id $id --arg proto $proto --arg src $src --arg dst $dst --arg sip $sip --arg dip $dip \
     --arg smac ${VM_MAC[$src]} --arg dmac ${VM_MAC[$dst]} --argjson port $port --arg bytes $bytes \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc --arg args "$cargs $*" \
     '{id:$id, tool:"iperf3", proto:$proto, ip_version:6, src_ns:$src, dst_ns:$dst, src_ip:$sip, dst_ip:$dip, src_mac:$smac, dst_mac:$dmac,
       dst_port:$port, control_port:$port, payload_bytes_requested:$bytes, client_extra_args:$args,
       start_ns:$t0, end_ns:$t1, rc:$rc,
       client_json:("iperf3-"+$id+"-client.json"), server_json:("iperf3-"+$id+"-server.json")}')"
  log "flow $id rc=$rc"
}
# iperf_time_flow id src dst port proto seconds [extra] : a timed iperf3 (IPv4) that may run in parallel with others
iperf_time_flow() {
  local id=$1 src=$2 dst=$3 port=$4 proto=$5 secs=$6; shift 6
  local dip=${VM_IP[$dst]} sp cargs=""
  [ $proto = udp ] && cargs="-u"
  ip netns exec $dst timeout $((secs+40)) iperf3 -s -1 -B $dip -p $port -J > $GT/iperf3-$id-server.json 2> $GT/iperf3-$id-server.stderr & sp=$!
  wait_listen $dst $port
  local t0=$(now_ns)
  ip netns exec $src timeout $((secs+30)) iperf3 -c $dip -B ${VM_IP[$src]} -p $port $cargs -t $secs -J "$@" > $GT/iperf3-$id-client.json 2> $GT/iperf3-$id-client.stderr
  local rc=$?
  wait $sp
  local t1=$(now_ns)
  flow "$(jq -cn --arg id $id --arg proto $proto --arg src $src --arg dst $dst --arg sip ${VM_IP[$src]} --arg dip $dip \
     --arg smac ${VM_MAC[$src]} --arg dmac ${VM_MAC[$dst]} --argjson port $port --argjson secs $secs \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc --arg args "$cargs $*" \
     '{id:$id, tool:"iperf3", proto:$proto, ip_version:4, parallel:true, src_ns:$src, dst_ns:$dst, src_ip:$sip, dst_ip:$dip, src_mac:$smac, dst_mac:$dmac,
       dst_port:$port, control_port:$port, duration_requested_s:$secs, client_extra_args:$args,
       start_ns:$t0, end_ns:$t1, rc:$rc,
       client_json:("iperf3-"+$id+"-client.json"), server_json:("iperf3-"+$id+"-server.json")}')"
  log "flow $id rc=$rc"
}
# add ipv6 addresses to topology_json's VM records
topology_json6() {
  local base=$(topology_json) ns
  local extra=$(for ns in "${VMS[@]}"; do jq -cn --arg ns $ns --arg ip6 "${VM_IP6[$ns]:-}" '{vm:$ns, ip6:(if $ip6=="" then null else $ip6 end), prefixlen6:64}'; done | jq -s .)
  jq -n --argjson a "$base" --argjson b "$extra" '[$a[] as $v | $v + ($b[] | select(.vm==$v.vm) | del(.vm))]'
}
# lttng_stats file : {"discarded_events":N,"lost_packets":N} summed over the channels of an `lttng list SESSION` output
lttng_stats() {
  local disc=$(sed -n 's/.*Discarded events: *\([0-9]*\).*/\1/p' $1 | awk '{s+=$1} END {print s+0}')
  local lost=$(sed -n 's/.*Lost packets: *\([0-9]*\).*/\1/p' $1 | awk '{s+=$1} END {print s+0}')
  echo "{\"discarded_events\":$disc,\"lost_packets\":$lost}"
}
# run_commands file : run each line of a command list as the shell would, logging the line, its output and its exit code;
# a failing line is also appended to $OUT/record-command-errors.txt
run_commands() {
  local line rc
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    echo "+ $line"
    eval "$line"; rc=$?
    echo "  -> rc=$rc"
    [ $rc = 0 ] || echo "rc=$rc: $line" >> $OUT/record-command-errors.txt
  done < $1
}
