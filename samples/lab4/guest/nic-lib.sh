# Helpers for the two-host NIC-model scenarios (sourced after /lab/lib.sh and /lab/mh-lib.sh).
# Role (A or B) and NIC model come from the kernel command line: lab.role=A|B lab.nic=<qemu device>.
ROLE=$(sed -n 's/.*lab\.role=\([AB]\).*/\1/p' /proc/cmdline); ROLE=${ROLE:-A}
NIC_MODEL=$(sed -n 's/.*lab\.nic=\([^ ]*\).*/\1/p' /proc/cmdline); NIC_MODEL=${NIC_MODEL:-unknown}
CTL_LOG=/lab/out/ctl.log        # one control daemon per boot, shared by all scenarios of the boot
NSUB=${NSUB:-64}                # sub-buffers of 256 KiB per CPU (discard mode)
LTTNG_EVENTS='net_* netif_* napi_* skb_* sock_* udp_* lttng_statedump_* br_fdb_add br_fdb_external_learn_add fdb_delete br_fdb_update'
if [ $ROLE = A ]; then
  HB=aa; CN=1; PEER_CTL=10.99.0.2; ME=hostA; PEER=hostB; PEER_ROLE=B
  BR_IP=192.168.122.1/24; BR_MAC=52:54:00:ff:00:01
  MYVM=vm1; MYMAC=52:54:00:00:00:01; MYIP=192.168.122.11
  RVM=vm2; RMAC=52:54:00:00:00:02; RIP=192.168.122.12
else
  HB=bb; CN=2; PEER_CTL=10.99.0.1; ME=hostB; PEER=hostA; PEER_ROLE=A
  BR_IP=192.168.122.2/24; BR_MAC=52:54:00:ff:00:02
  MYVM=vm2; MYMAC=52:54:00:00:00:02; MYIP=192.168.122.12
  RVM=vm1; RMAC=52:54:00:00:00:01; RIP=192.168.122.11
fi
# once per boot: driver modules, NIC names (phy0 data, ctl0 control), control daemon
nic_boot_setup() {
  modprobe virtio_net 2>/dev/null; modprobe e1000 2>/dev/null; sleep 1
  if ! ip link show phy0 >/dev/null 2>&1; then nics $HB $CN; fi
  ip link set phy0 up
  if [ ! -f /run/nic-ctl.pid ]; then
    setsid python3 /lab/ctl.py $CTL_LOG >/dev/null 2>&1 </dev/null & echo $! > /run/nic-ctl.pid
    sleep 1
  fi
}
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
# phy0 offloads: back to the driver defaults, then apply "$@" (ethtool -K words); each feature separately
# so that a fixed feature does not block the others
set_offloads() {
  local f
  for f in gro gso tso; do ethtool -K phy0 $f on 2>/dev/null; done
  while [ $# -ge 2 ]; do ethtool -K phy0 $1 $2 || log "ethtool -K phy0 $1 $2 failed"; shift 2; done
}
ethtool_dump() {   # ethtool_dump TAG
  local t=$1
  ethtool -i phy0 > $GT/ethtool-i-$t-phy0.txt 2>&1
  ethtool -k phy0 > $GT/ethtool-k-$t-phy0.txt 2>&1
  ethtool -S phy0 > $GT/ethtool-S-$t-phy0.txt 2>&1
  ethtool phy0 > $GT/ethtool-$t-phy0.txt 2>&1
  ethtool -k vnet0 > $GT/ethtool-k-$t-vnet0.txt 2>&1
}
nic_trace_start() {   # like lib.sh trace_start, with NSUB sub-buffers
  local name=$1 out=$2 e
  lttng create $name --output=$out
  lttng enable-channel -k --subbuf-size=256K --num-subbuf=$NSUB chan0
  for e in $LTTNG_EVENTS; do lttng enable-event -k -c chan0 "$e"; done
  lttng add-context -k -c chan0 -t procname -t tid -t pid -t net_ns
  lttng list $name > $OUT/lttng-session-config.txt
  lttng start $name
  TRACE_START_NS=$(now_ns)
}
# xiperf ID SRC_ROLE PROTO PORT BYTES [client args...]: iperf3 between the VM of host SRC_ROLE (client) and the other host's VM
xiperf() {
  local id=$1 srcr=$2 proto=$3 port=$4 bytes=$5; shift 5
  local cargs="" t0 t1 rc my_role sip dip smac dmac sns dns sp
  [ $proto = udp ] && cargs="-u"
  if [ $srcr = $ROLE ]; then my_role=client; sns=$MYVM; dns=$RVM; sip=$MYIP; dip=$RIP; smac=$MYMAC; dmac=$RMAC
  else my_role=server; sns=$RVM; dns=$MYVM; sip=$RIP; dip=$MYIP; smac=$RMAC; dmac=$MYMAC; fi
  t0=$(now_ns)
  if [ $my_role = server ]; then
    timeout 180 ip netns exec $MYVM iperf3 -s -1 -B $MYIP -p $port -J > $GT/iperf3-$id-server.json 2> $GT/iperf3-$id-server.stderr & sp=$!
    wait_listen $MYVM $port
    send_ctl $PEER_CTL "$S-$id-listen"
    wait $sp; rc=$?
  else
    await_msg "$S-$id-listen" 120
    t0=$(now_ns)
    timeout 150 ip netns exec $MYVM iperf3 -c $RIP -B $MYIP -p $port $cargs -n $bytes -J "$@" > $GT/iperf3-$id-client.json 2> $GT/iperf3-$id-client.stderr
    rc=$?
  fi
  t1=$(now_ns)
  flow "$(jq -cn --arg id $id --arg proto $proto --arg role $my_role --arg host $ME --arg src $sns --arg dst $dns --arg sip $sip --arg dip $dip \
     --arg smac $smac --arg dmac $dmac --argjson port $port --arg bytes $bytes --arg args "$cargs $*" \
     --arg sh $([ $srcr = $ROLE ] && echo $ME || echo $PEER) --arg dh $([ $srcr = $ROLE ] && echo $PEER || echo $ME) \
     --argjson t0 $t0 --argjson t1 $t1 --argjson rc $rc \
     '{id:$id, tool:"iperf3", proto:$proto, local_role:$role, local_host:$host, src_host:$sh, dst_host:$dh,
       src_ns:$src, dst_ns:$dst, src_ip:$sip, dst_ip:$dip, src_mac:$smac, dst_mac:$dmac,
       dst_port:$port, control_port:$port, payload_bytes_requested:$bytes, client_extra_args:$args,
       start_ns:$t0, end_ns:$t1, rc:$rc, times_note:"local realtime of this host",
       client_json:(if $role=="client" then "iperf3-"+$id+"-client.json" else null end),
       server_json:(if $role=="server" then "iperf3-"+$id+"-server.json" else null end)}')"
  log "flow $id ($my_role) rc=$rc"
  barrier "$S-$id-end" 200
}
# xping ID SRC_ROLE COUNT INTERVAL
xping() {
  local id=$1 srcr=$2 cnt=$3 iv=$4 t0 t1
  if [ $srcr = $ROLE ]; then
    ping_flow $id $MYVM $RIP $cnt $iv
  else
    t0=$(now_ns)
    barrier "$S-$id-end" 200
    t1=$(now_ns)
    flow "$(jq -cn --arg id $id --arg host $ME --arg src $RVM --arg sip $RIP --arg dst $MYVM --arg dip $MYIP --argjson cnt $cnt --arg iv $iv \
       --argjson t0 $t0 --argjson t1 $t1 '{id:$id, tool:"ping", proto:"icmp", local_role:"responder", local_host:$host,
       src_ns:$src, src_ip:$sip, dst_ns:$dst, dst_ip:$dip, count:$cnt, interval_s:$iv, icmp_payload_bytes:56, ip_packet_bytes:84,
       frame_bytes:98, echo_requests_sent:null, echo_replies_received:null, start_ns:$t0, end_ns:$t1,
       note:"responder side; counts are in the pinging host flows.jsonl"}')"
    return
  fi
  barrier "$S-$id-end" 200
}
# one python start per message (3 datagrams), faster than mh-lib's send_ctl under TCG
send_ctl() { python3 -c "
import socket,sys,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
for i in range(3): s.sendto(sys.argv[2].encode(),(sys.argv[1],47000)); time.sleep(0.05)" "$1" "$2"; }
