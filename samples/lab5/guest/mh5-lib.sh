# Helpers for the lab5 two-host scenarios (sourced after /lab/lib.sh and /lab/mh-lib.sh).
# Role from the kernel command line: lab.role=A|B. Host A = "hosta", host B = "hostb" (clock shifted, lab.clockshift=).
ROLE=$(sed -n 's/.*lab\.role=\([AB]\).*/\1/p' /proc/cmdline); ROLE=${ROLE:-A}
CTL_LOG=/lab/out/ctl.log        # one control daemon per boot, shared by the scenarios of the boot
NSUB=${NSUB:-64}                # sub-buffers of 256 KiB per CPU (discard mode)
LTTNG_EVENTS='net_* netif_* napi_* skb_* sock_* udp_* lttng_statedump_* br_fdb_add br_fdb_external_learn_add fdb_delete br_fdb_update'
# every VM of both hosts: name -> host, ip, mac
declare -A VHOST VIP VMACS
VHOST=([vmA1]=hosta [vmA2]=hosta [vmA3]=hosta [vmB1]=hostb [vmB2]=hostb)
VIP=([vmA1]=192.168.122.11 [vmA2]=192.168.122.12 [vmA3]=192.168.122.13 [vmB1]=192.168.122.21 [vmB2]=192.168.122.22)
VMACS=([vmA1]=52:54:00:0a:00:11 [vmA2]=52:54:00:0a:00:12 [vmA3]=52:54:00:0a:00:13 [vmB1]=52:54:00:0b:00:21 [vmB2]=52:54:00:0b:00:22)
if [ $ROLE = A ]; then
  HB=aa; CN=1; PEER_CTL=10.99.0.2; ME=hosta; PEER=hostb; PEER_ROLE=B
  BR_IP=192.168.122.1/24; BR_MAC=52:54:00:ff:00:01
else
  HB=bb; CN=2; PEER_CTL=10.99.0.1; ME=hostb; PEER=hosta; PEER_ROLE=A
  BR_IP=192.168.122.2/24; BR_MAC=52:54:00:ff:00:02
fi
# once per boot: driver modules, NIC names (phy0 data, ctl0 control), control daemon, clock shift (B)
mh5_boot_setup() {
  modprobe virtio_net 2>/dev/null; sleep 1
  if ! ip link show phy0 >/dev/null 2>&1; then nics $HB $CN; fi
  if [ ! -f /run/mh5-ctl.pid ]; then
    setsid python3 /lab/ctl.py $CTL_LOG >/dev/null 2>&1 </dev/null & echo $! > /run/mh5-ctl.pid
    sleep 1
  fi
  if [ ! -f /run/mh5-clockshift.done ]; then
    OUT=/lab/out apply_clockshift; touch /run/mh5-clockshift.done   # writes /lab/out/clockshift.json (B only)
  fi
}
# one python start per message (3 datagrams 50 ms apart)
send_ctl() { python3 -c "
import socket,sys,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
for i in range(3): s.sendto(sys.argv[2].encode(),(sys.argv[1],47000)); time.sleep(0.05)" "$1" "$2"; }
# barrier TAG [timeout_s]: both hosts send TAG-<role> until each has seen the other's
barrier() {
  local tag=$1 to=${2:-300} i
  for i in $(seq $((to * 5))); do
    send_ctl $PEER_CTL "$tag-$ROLE"
    if grep -q "^$tag-$PEER_ROLE " $CTL_LOG 2>/dev/null; then send_ctl $PEER_CTL "$tag-$ROLE"; log "barrier $tag ok"; return 0; fi
    sleep 0.05
  done
  log "barrier $tag TIMEOUT"; return 1
}
await_msg() { local i; for i in $(seq $(( ${2:-120} * 10 ))); do grep -q "^$1 " $CTL_LOG 2>/dev/null && return 0; sleep 0.1; done; log "timeout waiting for $1"; return 1; }
local_vm() { [ "${VHOST[$1]}" = $ME ]; }
# xiperf ID CLIENT_VM SERVER_VM PORT PROTO [client args...]   (both hosts call it with the same arguments)
xiperf() {
  local id=$1 cvm=$2 svm=$3 port=$4 proto=$5; shift 5
  local cargs="" t0 t1 rc=0 role=none sp
  [ $proto = udp ] && cargs="-u"
  local_vm $svm && role=server
  local_vm $cvm && role=client
  local_vm $svm && local_vm $cvm && role=both
  t0=$(now_ns)
  case $role in
    server)
      timeout 120 ip netns exec $svm iperf3 -s -1 -B ${VIP[$svm]} -p $port -J > $GT/iperf3-$id-server.json 2> $GT/iperf3-$id-server.stderr & sp=$!
      wait_listen $svm $port
      send_ctl $PEER_CTL "$S-$id-listen"
      wait $sp; rc=$? ;;
    client)
      await_msg "$S-$id-listen" 120
      t0=$(now_ns)
      timeout 100 ip netns exec $cvm iperf3 -c ${VIP[$svm]} -B ${VIP[$cvm]} -p $port $cargs -J "$@" > $GT/iperf3-$id-client.json 2> $GT/iperf3-$id-client.stderr
      rc=$? ;;
  esac
  t1=$(now_ns)
  flow "$(jq -cn --arg id $id --arg proto $proto --arg role $role --arg host $ME --arg src $cvm --arg dst $svm \
     --arg sip ${VIP[$cvm]} --arg dip ${VIP[$svm]} --arg smac ${VMACS[$cvm]} --arg dmac ${VMACS[$svm]} \
     --arg sh ${VHOST[$cvm]} --arg dh ${VHOST[$svm]} --argjson port $port --arg args "$cargs $*" \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc \
     '{id:$id, tool:"iperf3", proto:$proto, local_role:$role, local_host:$host, src_host:$sh, dst_host:$dh,
       src_ns:$src, dst_ns:$dst, src_ip:$sip, dst_ip:$dip, src_mac:$smac, dst_mac:$dmac,
       dst_port:$port, control_port:$port, client_extra_args:$args,
       start_ns:$t0, end_ns:$t1, rc:$rc, times_note:"local realtime of this host",
       client_json:(if $role=="client" then "iperf3-"+$id+"-client.json" else null end),
       server_json:(if $role=="server" then "iperf3-"+$id+"-server.json" else null end)}')"
  log "flow $id ($role) rc=$rc"
  barrier "$S-$id-end" 200
}
# xping ID SRC_VM DST_VM COUNT INTERVAL : the host of SRC_VM pings, the other host waits at the barrier
xping() {
  local id=$1 svm=$2 dvm=$3 cnt=$4 iv=$5 t0 t1
  if local_vm $svm; then
    VM_IP[$svm]=${VIP[$svm]}
    ping_flow $id $svm ${VIP[$dvm]} $cnt $iv -D
  else
    t0=$(now_ns); barrier "$S-$id-end" 200; t1=$(now_ns)
    flow "$(jq -cn --arg id $id --arg host $ME --arg src $svm --arg sip ${VIP[$svm]} --arg dst $dvm --arg dip ${VIP[$dvm]} \
       --arg sh ${VHOST[$svm]} --arg dh ${VHOST[$dvm]} --argjson cnt $cnt --arg iv $iv --argjson t0 $t0 --argjson t1 $t1 \
       '{id:$id, tool:"ping", proto:"icmp", local_role:(if $dh==$host then "responder" else "none" end), local_host:$host,
       src_host:$sh, dst_host:$dh, src_ns:$src, src_ip:$sip, dst_ns:$dst, dst_ip:$dip, count:$cnt, interval_s:$iv,
       icmp_payload_bytes:56, ip_packet_bytes:84, frame_bytes:98, start_ns:$t0, end_ns:$t1,
       note:"the pinging host flows.jsonl has the counts"}')"
    return
  fi
  barrier "$S-$id-end" 200
}
# add src/dst hosts to the last flow record written by ping_flow
ping_flow_fix() {  # ping_flow_fix ID SRC_VM DST_VM
  local tmp=$OUT/.flows.tmp
  jq -c --arg id $1 --arg sh ${VHOST[$2]} --arg dh ${VHOST[$3]} --arg dst $3 --arg host $ME \
     'if .id==$id then . + {local_role:"pinger", local_host:$host, src_host:$sh, dst_host:$dh, dst_ns:$dst} else . end' $OUT/flows.jsonl > $tmp && mv $tmp $OUT/flows.jsonl
}
mh5_trace_start() {   # like lib.sh trace_start, with NSUB sub-buffers per CPU
  local name=$1 out=$2 e
  lttng create $name --output=$out
  lttng enable-channel -k --subbuf-size=256K --num-subbuf=$NSUB chan0
  for e in $LTTNG_EVENTS; do lttng enable-event -k -c chan0 "$e"; done
  lttng add-context -k -c chan0 -t procname -t tid -t pid -t net_ns
  lttng list $name > $OUT/lttng-session-config.txt
  lttng start $name
  TRACE_START_NS=$(now_ns)
}
# topology of the VMs whose netns exists now
topology_now() {
  local ns
  for ns in "${VMS[@]}"; do
    [ -e /run/netns/$ns ] || continue
    jq -cn --argjson ino $(stat -L -c %i /run/netns/$ns) --arg ns $ns --arg hif ${VM_IF[$ns]} --arg mac ${VM_MAC[$ns]} --arg ip ${VM_IP[$ns]} \
       --arg br ${VM_BR[$ns]} --arg host $ME --argjson idx $(cat /sys/class/net/${VM_IF[$ns]}/ifindex) \
      '{vm:$ns, host:$host, netns:$ns, netns_inode:$ino, guest_if:"eth0", mac:$mac, ip:$ip, prefixlen:24, bridge:$br, bridge_port:$hif,
        bridge_port_ifindex:$idx, bridge_port_mac:("fe:"+($mac|split(":")[1:]|join(":")))}'
  done | jq -s .
}
# control message without starting a process (bash /dev/udp), 3 copies back to back: for the migration's critical path
send_ctl_fast() { local i; for i in 1 2 3; do printf '%s' "$2" > /dev/udp/$1/47000; done; }
await_fast() { local i; for i in $(seq $(( ${2:-60} * 50 ))); do grep -q "^$1 " $CTL_LOG 2>/dev/null && return 0; sleep 0.02; done; log "timeout waiting for $1"; return 1; }
# mkvm with 4 ip invocations instead of 10 (same result as lib.sh mkvm without VLAN): for the migration's critical path
mkvm_fast() {
  local ns=$1 br=$2 hif=$3 mac=$4 ip=$5
  ip netns add $ns
  ip link add $hif address fe:${mac#*:} type veth peer name eth0 address $mac netns $ns
  printf 'link set lo up\naddr add %s dev eth0\nlink set eth0 up\n' $ip | ip -n $ns -batch -
  ip link set $hif master $br up
  VMS+=($ns); VM_IF[$ns]=$hif; VM_MAC[$ns]=$mac; VM_IP[$ns]=${ip%/*}; VM_BR[$ns]=$br; VM_VID[$ns]=
}
