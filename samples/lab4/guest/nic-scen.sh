#!/bin/bash
# Two-host NIC-model scenario, one host's side (run by /lab/run.sh as /lab/scen-nicN.sh, which sets NIC_SCEN=N).
# Host A: vm1 192.168.122.11; host B: vm2 192.168.122.12; each host: virbr0 with vnet0 (VM) and phy0 (data NIC).
source /lab/lib.sh; source /lab/mh-lib.sh; source /lab/nic-lib.sh
N=${NIC_SCEN:?}
case $N in
  1) S=nic1-virtio-gro-on;      WANT=virtio-net-pci; KOPTS="" ;;
  2) S=nic2-virtio-gro-off;     WANT=virtio-net-pci; KOPTS="gro off" ;;
  3) S=nic3-virtio-tso-gso-off; WANT=virtio-net-pci; KOPTS="tso off gso off" ;;
  4) S=nic4-e1000-default;      WANT=e1000;          KOPTS="" ;;
  5) S=nic5-e1000-gro-tso-off;  WANT=e1000;          KOPTS="gro off tso off" ;;
esac
TCP_BYTES=${TCP_BYTES:-3M}
OUT=$OUTROOT/$S; GT=$OUT/groundtruth; rm -rf $OUT; mkdir -p $GT
hostname $ME
log "scenario $S role $ROLE host $(hostname) nic $NIC_MODEL (scenario wants $WANT)"
[ "$NIC_MODEL" = "$WANT" ] || log "WARNING: NIC model $NIC_MODEL is not $WANT"
nic_boot_setup
teardown
mkbridge virbr0 $BR_IP $BR_MAC
mkvm $MYVM virbr0 vnet0 $MYMAC $MYIP/24
uplink
set_offloads $KOPTS
lttng list -k 2>&1 | grep -iE 'gro|receive_skb|napi_poll' > $GT/lttng-list-k-gro.txt
sleep 1
barrier "$S-setup" 600 || exit 1
[ $ROLE = A ] && python3 /lab/clockprobe.py $PEER_CTL 10 > $GT/clockprobe-pre.txt 2>&1
barrier "$S-probed" 120
ethtool_dump pre
snapshot pre
nic_trace_start $S $OUT/trace
barrier "$S-traced" 120
# flows, one after another, both directions
xiperf T1 A tcp 5201 $TCP_BYTES
xiperf T2 B tcp 5202 $TCP_BYTES
xiperf U1 A udp 5203 300000 -b 2M -l 1000
xiperf U2 B udp 5204 300000 -b 2M -l 1000
xping P1 A 10 0.2
xping P2 B 10 0.2
barrier "$S-flows-done" 120
sleep 0.5
trace_stop $S
snapshot post
ethtool_dump post
[ $ROLE = A ] && python3 /lab/clockprobe.py $PEER_CTL 10 > $GT/clockprobe-post.txt 2>&1
barrier "$S-finished" 120
DRV=$(sed -n 's/^driver: //p' $GT/ethtool-i-pre-phy0.txt)
jq -n --arg s $S --arg host $ME --arg role $ROLE --arg peer $PEER --arg model $NIC_MODEL --arg drv "$DRV" --arg kopts "$KOPTS" \
   --argjson vms "$(topology_json)" --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS \
   --arg ev "$LTTNG_EVENTS" --argjson nsub $NSUB --arg kern "$(uname -r)" \
   --arg phymac "$(cat /sys/class/net/phy0/address)" --argjson phyidx $(cat /sys/class/net/phy0/ifindex) \
   --argjson flows "$(jq -s . $OUT/flows.jsonl)" \
  '{scenario:$s, host:$host, role:$role, peer_host:$peer, guest_hostname:$host, guest_kernel:$kern,
    data_nic:{ifname:"phy0", qemu_device:$model, driver:$drv, mac:$phymac, ifindex:$phyidx, bridge:"virbr0",
              ethtool_K_applied_on_both_hosts:(if $kopts=="" then "defaults" else "ethtool -K phy0 "+$kopts end),
              wire:"qemu -netdev socket (no vnet header: virtio-net offers no TSO/checksum offload over it)"},
    control_nic:{ifname:"ctl0", note:"control wire 10.99.0.0/24, outside every bridge; no test traffic"},
    bridges:[{name:"virbr0", ports:["phy0","vnet0"], stp:false}],
    vms:$vms,
    remote_vms:(if $role=="A" then [{vm:"vm2", host:"hostB", mac:"52:54:00:00:00:02", ip:"192.168.122.12"}]
                else [{vm:"vm1", host:"hostA", mac:"52:54:00:00:00:01", ip:"192.168.122.11"}] end),
    trace_start_ns:$t0, trace_stop_ns:$t1, flows:$flows,
    lttng:{session:$s, domain:"kernel", channel:"chan0", subbuf_size:262144, num_subbuf:$nsub, event_loss_mode:"discard",
           enabled_event_patterns:($ev|split(" ")), contexts:["procname","tid","pid","net_ns"], trace_dir:"trace/kernel",
           discarded_events_reported_by_lttng:"see lttng-session-final.txt (Statistics)"}}' > $OUT/scenario.json
teardown
log "scenario $S done"
