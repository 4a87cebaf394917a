#!/bin/bash
# lab5 two-host scenario, one host's side (run by /lab/run.sh as /lab/scen-mhu.sh or scen-mhv.sh, which set MH_MODE).
#   MH_MODE=uplink : phy0 enslaved to virbr0 on both hosts; cross-host ping/TCP/UDP, a ping inside host A, and a
#                    migration of vmA3 (52:54:00:0a:00:13, 192.168.122.13) from host A to host B.
#   MH_MODE=vxlan  : VXLAN VNI 100 over phy0 is the bridge port instead; cross-host pings and TCP.
source /lab/lib.sh; source /lab/mh-lib.sh; source /lab/mh5-lib.sh
MODE=${MH_MODE:?}
S=mh-$MODE
DOWNTIME_EXTRA_S=${DOWNTIME_EXTRA_S:-0}   # host B waits this long after the "migrate" message before recreating the VM
OUT=$OUTROOT/$S; GT=$OUT/groundtruth; rm -rf $OUT; mkdir -p $GT
mh5_boot_setup
hostname $ME
log "scenario $S role $ROLE host $(hostname)"
mh5_teardown() {
  teardown
  ip link del vxlan100 2>/dev/null; ip addr flush dev phy0; ip link set phy0 mtu 1500; ip link set phy0 up
}
mh5_teardown
mkbridge virbr0 $BR_IP $BR_MAC
if [ $ROLE = A ]; then
  mkvm vmA1 virbr0 vnet0 ${VMACS[vmA1]} ${VIP[vmA1]}/24
  mkvm vmA2 virbr0 vnet1 ${VMACS[vmA2]} ${VIP[vmA2]}/24
  [ $MODE = uplink ] && mkvm vmA3 virbr0 vnet2 ${VMACS[vmA3]} ${VIP[vmA3]}/24
else
  mkvm vmB1 virbr0 vnet0 ${VMACS[vmB1]} ${VIP[vmB1]}/24
  mkvm vmB2 virbr0 vnet1 ${VMACS[vmB2]} ${VIP[vmB2]}/24
fi
if [ $MODE = uplink ]; then uplink; else vxlan_uplink $CN $((3 - CN)); fi
sleep 1
barrier "$S-setup" 600 || exit 1
[ $ROLE = A ] && python3 /lab/clockprobe.py $PEER_CTL 20 > $GT/clockprobe-pre.txt 2>&1
barrier "$S-probed" 120
TOPO_START=$(topology_now)
snapshot pre
mh5_trace_start $S $OUT/trace
barrier "$S-traced" 120

# ---- flows, one after another (each ends with a barrier) ----
xping P1 vmA1 vmB1 100 0.1; local_vm vmA1 && ping_flow_fix P1 vmA1 vmB1
xiperf T1 vmA2 vmB2 5201 tcp -t 5 -b 20M
if [ $MODE = uplink ]; then
  xiperf U1 vmB2 vmA2 5202 udp -t 5 -b 5M
  xping P2 vmA1 vmA2 20 0.1; local_vm vmA1 && ping_flow_fix P2 vmA1 vmA2
else
  xping P2 vmB1 vmA1 20 0.1; local_vm vmB1 && ping_flow_fix P2 vmB1 vmA1
fi

# ---- migration of vmA3 from host A to host B (uplink only) ----
MIG='null'
if [ $MODE = uplink ]; then
  MIP=${VIP[vmA3]}; MMAC=${VMACS[vmA3]}
  barrier "$S-mig-start" 120
  if [ $ROLE = A ]; then PVM=vmA1; PID_=M2; else PVM=vmB1; PID_=M1; fi
  # a ping towards the migrating VM from each host, 150 x 0.1 s, running through the migration
  M_T0=$(now_ns)
  ip netns exec $PVM ping -D -O -c 150 -i 0.1 $MIP > $GT/ping-$PID_.txt 2>&1 & PP=$!
  if [ $ROLE = A ]; then
    sleep 4
    # "pause" the VM: vnet2 down (the bridge port is disabled and its learned FDB entries flushed; vmA3's eth0 loses
    # carrier), so that nothing crosses vnet2 / vmA3's eth0 any more and the predelete counters below are final
    PAUSE_NS=$(now_ns)
    ip link set vnet2 down
    DOWN_NS=$(now_ns)
    # final counters of the departing VM's devices (deleted below; their counters are lost afterwards)
    date +%s%N > $GT/time-predelete.ns
    ip -j -s -s -d link show > $GT/link-predelete-root.json & p1=$!
    ip -n vmA3 -j -s -s -d link show > $GT/link-predelete-vmA3.json & p2=$!
    bridge -j fdb show > $GT/fdb-predelete.json & p3=$!
    wait $p1 $p2 $p3
    DEL_START_NS=$(now_ns)
    ip link del vnet2                      # removes the veth pair (vnet2 + vmA3's eth0); the bridge drops vnet2's own (local) entries
    DEL_NS=$(now_ns)
    ip netns del vmA3
    TEARDOWN_NS=$(now_ns)
    send_ctl_fast $PEER_CTL "$S-migrate $TEARDOWN_NS"
    CTL_SENT_NS=$(now_ns)
    bridge -j fdb show > $GT/fdb-postdelete.json
    await_fast "$S-migrated" 60
    MIG_DONE_RX_NS=$(awk -v t="$S-migrated" '$1==t {print $(NF-1); exit}' $CTL_LOG)
    wait $PP; M_T1=$(now_ns)
    MIG=$(jq -cn --arg vm vmA3 --arg mac $MMAC --arg ip $MIP --argjson pause $PAUSE_NS --argjson down $DOWN_NS --argjson ds $DEL_START_NS --argjson del $DEL_NS --argjson td $TEARDOWN_NS \
       --argjson sent $CTL_SENT_NS --argjson done ${MIG_DONE_RX_NS:-null} \
       '{vm:$vm, mac:$mac, ip:$ip, from_host:"hosta", to_host:"hostb", this_host_role:"source",
         source_bridge:"virbr0", source_port:"vnet2", dest_bridge:"virbr0 (hostb)", dest_port:"vnet2 (hostb)",
         last_packet_expected_ns:$pause, predelete_snapshot:"groundtruth/link-predelete-{root,vmA3}.json, fdb-predelete.json",
         pause_ns:$pause, port_down_ns:$down, delete_start_ns:$ds, veth_deleted_ns:$del,
         steps:"pause_ns: ip link set vnet2 down starts; port_down_ns: done; predelete counters taken; delete_start_ns: ip link del vnet2 starts; veth_deleted_ns: done; ip netns del vmA3; teardown_ns: done; then the migrate message to hostb", teardown_ns:$td, migrate_msg_sent_ns:$sent,
         migrated_msg_received_ns:$done,
         note:"times are this host realtime; host B (clock shifted) has recreate/announce times in its scenario.json"}')
  else
    # the announcer starts now (python start-up is slow under emulation) and fires when the VM is back
    rm -f /run/ann.fifo; mkfifo /run/ann.fifo
    python3 /lab/announce.py eth0 $MMAC 5 vmA3 /run/ann.fifo > $GT/announce-rarp.txt 2>&1 & AP=$!
    await_fast "$S-migrate" 60
    MSG_RX_NS=$(awk -v t="$S-migrate" '$1==t {print $(NF-1); exit}' $CTL_LOG)
    PEER_TD_NS=$(awk -v t="$S-migrate" '$1==t {print $2; exit}' $CTL_LOG)
    AWAKE_NS=$(now_ns)
    [ "$DOWNTIME_EXTRA_S" = 0 ] || sleep $DOWNTIME_EXTRA_S
    RC_START_NS=$(now_ns)
    mkvm_fast vmA3 virbr0 vnet2 $MMAC $MIP/24
    RECREATE_NS=$(now_ns)
    echo go > /run/ann.fifo                # "resume": QEMU's self-announce
    wait $AP
    ANN_END_NS=$(now_ns)
    ip netns exec vmA3 timeout 5 arping -U -c 1 -I eth0 $MIP > $GT/arping-garp.txt 2>&1
    GARP_END_NS=$(now_ns)
    send_ctl_fast $PEER_CTL "$S-migrated"
    bridge -j fdb show > $GT/fdb-postmigration.json
    wait $PP; M_T1=$(now_ns)
    MIG=$(jq -cn --arg vm vmA3 --arg mac $MMAC --arg ip $MIP --argjson rx ${MSG_RX_NS:-null} --argjson ptd ${PEER_TD_NS:-null} \
       --argjson awake $AWAKE_NS --arg extra $DOWNTIME_EXTRA_S --argjson rs $RC_START_NS --argjson rc $RECREATE_NS \
       --argjson ae $ANN_END_NS --argjson ge $GARP_END_NS \
       --argjson ann "$(awk '{print "{\"frame\":"$1",\"sent_ns\":"$2"}"}' $GT/announce-rarp.txt | jq -s .)" \
       '{vm:$vm, mac:$mac, ip:$ip, from_host:"hosta", to_host:"hostb", this_host_role:"destination",
         dest_bridge:"virbr0", dest_port:"vnet2", dest_port_mac:("fe:"+($mac|split(":")[1:]|join(":"))),
         migrate_msg_received_ns:$rx, peer_teardown_ns_in_peer_clock:$ptd, migrate_msg_seen_ns:$awake,
         planned_extra_downtime_s:($extra|tonumber), recreate_start_ns:$rs, recreate_ns:$rc,
         announce:{kind:"QEMU-style self-announce: RARP ethertype 0x8035, dst ff:ff:ff:ff:ff:ff, src/sha/tha = VM MAC, 60 bytes, sent from the VM eth0 (AF_PACKET, announce.py), started right after recreate_ns",
                   frames:$ann, announce_ns:($ann[0].sent_ns), end_ns:$ae},
         garp:{tool:"arping -U -c 1 -I eth0 (ARP request, sender = target = VM IP, broadcast)", end_ns:$ge, output:"groundtruth/arping-garp.txt"},
         note:"times are this host realtime (shifted, see clock); host A has the teardown times in its scenario.json"}')
  fi
  TX=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' $GT/ping-$PID_.txt); RX=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' $GT/ping-$PID_.txt)
  flow "$(jq -cn --arg id $PID_ --arg src $PVM --arg sip ${VIP[$PVM]} --arg dip $MIP --arg host $ME --argjson t0 $M_T0 --argjson t1 $M_T1 \
     --arg tx "${TX:-}" --arg rx "${RX:-}" \
     '{id:$id, tool:"ping", proto:"icmp", local_role:"pinger", local_host:$host, src_host:$host, dst_host:"hosta then hostb (migrating)",
       src_ns:$src, src_ip:$sip, dst_ns:"vmA3", dst_ip:$dip, count:150, interval_s:"0.1", extra_args:"-D -O",
       icmp_payload_bytes:56, ip_packet_bytes:84, frame_bytes:98,
       echo_requests_sent:($tx|tonumber? // null), echo_replies_received:($rx|tonumber? // null),
       start_ns:$t0, end_ns:$t1, summary:("ping-"+$id+".txt"), note:"runs through the migration of vmA3; -D gives each reply realtime"}')"
  log "migration part done ($PID_ tx=$TX rx=$RX)"
  barrier "$S-mig-end" 120
fi

barrier "$S-flows-done" 120
sleep 0.5
trace_stop $S
snapshot post
grep -i "discarded" $OUT/lttng-session-final.txt > $GT/lttng-discarded.txt 2>&1
[ $ROLE = A ] && python3 /lab/clockprobe.py $PEER_CTL 20 > $GT/clockprobe-post.txt 2>&1
barrier "$S-finished" 120
TOPO_END=$(topology_now)
SHIFT=$(sed -n 's/.*lab\.clockshift=\([^ ]*\).*/\1/p' /proc/cmdline)
jq -n --arg s $S --arg mode $MODE --arg host $ME --arg role $ROLE --arg peer $PEER --arg kern "$(uname -r)" \
   --argjson vs "$TOPO_START" --argjson ve "$TOPO_END" --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS \
   --arg ev "$LTTNG_EVENTS" --argjson nsub $NSUB --arg shift "${SHIFT:-}" \
   --argjson cs "$(cat /lab/out/clockshift.json 2>/dev/null || echo null)" \
   --arg phymac "$(cat /sys/class/net/phy0/address)" --argjson phyidx $(cat /sys/class/net/phy0/ifindex) \
   --argjson flows "$(jq -s . $OUT/flows.jsonl)" --argjson mig "$MIG" \
   --arg disc "$(cat $GT/lttng-discarded.txt | tr -s ' ' | head -1)" \
  '{scenario:$s, host:$host, role:$role, peer_host:$peer, guest_hostname:$host, guest_kernel:$kern,
    uplink:(if $mode=="uplink" then {kind:"phy0 enslaved to virbr0", bridge_port:"phy0"}
            else {kind:"VXLAN VNI 100 over phy0", bridge_port:"vxlan100", vni:100, dstport:4789,
                  local_underlay_ip:(if $role=="A" then "10.80.0.1" else "10.80.0.2" end),
                  remote_underlay_ip:(if $role=="A" then "10.80.0.2" else "10.80.0.1" end), phy0_mtu:1600} end),
    data_nic:{ifname:"phy0", qemu_device:"virtio-net-pci", mac:$phymac, ifindex:$phyidx,
              wire:"qemu -netdev socket between the two guests (no vnet header: no TSO/checksum offload on phy0)"},
    control_nic:{ifname:"ctl0", ip:(if $role=="A" then "10.99.0.1" else "10.99.0.2" end),
                  note:"control wire 10.99.0.0/24 outside every bridge; control messages cross it during the trace"},
    bridges:[{name:"virbr0", mac:(if $role=="A" then "52:54:00:ff:00:01" else "52:54:00:ff:00:02" end),
              ip:(if $role=="A" then "192.168.122.1/24" else "192.168.122.2/24" end), stp:false}],
    vms_at_trace_start:$vs, vms_at_end:$ve,
    all_vms:[{vm:"vmA1",host:"hosta",mac:"52:54:00:0a:00:11",ip:"192.168.122.11"},{vm:"vmA2",host:"hosta",mac:"52:54:00:0a:00:12",ip:"192.168.122.12"},
             {vm:"vmA3",host:(if $mode=="uplink" then "hosta, migrated to hostb" else "not created" end),mac:"52:54:00:0a:00:13",ip:"192.168.122.13"},
             {vm:"vmB1",host:"hostb",mac:"52:54:00:0b:00:21",ip:"192.168.122.21"},{vm:"vmB2",host:"hostb",mac:"52:54:00:0b:00:22",ip:"192.168.122.22"}],
    clock:{planned_shift_of_hostb_s:3.2, this_host_shift_s:(if $shift=="" then 0 else ($shift|tonumber) end), clockshift_applied:$cs,
           ground_truth:(if $role=="A" then "groundtruth/clockprobe-{pre,post}.txt (hostb minus hosta)" else "in hosta groundtruth/clockprobe-*.txt" end)},
    trace_start_ns:$t0, trace_stop_ns:$t1, flows:$flows, migration:$mig,
    lttng:{session:$s, domain:"kernel", channel:"chan0", subbuf_size:262144, num_subbuf:$nsub, event_loss_mode:"discard",
           enabled_event_patterns:($ev|split(" ")), contexts:["procname","tid","pid","net_ns"], trace_dir:"trace/kernel",
           discarded_events:$disc},
    times_note:"*_ns are this host CLOCK_REALTIME as doubles (jq, about 256 ns rounding); groundtruth/times.txt has them exact"}' > $OUT/scenario.json
{ for v in TRACE_START_NS TRACE_STOP_NS PAUSE_NS DOWN_NS DEL_START_NS DEL_NS TEARDOWN_NS CTL_SENT_NS MIG_DONE_RX_NS MSG_RX_NS PEER_TD_NS AWAKE_NS RC_START_NS RECREATE_NS ANN_END_NS GARP_END_NS M_T0 M_T1; do
    [ -n "${!v:-}" ] && echo "$v ${!v}"; done; } > $GT/times.txt
mh5_teardown
log "scenario $S done"
