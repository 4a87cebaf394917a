#!/bin/bash
# Scenario X: discards. Tiny discard-mode sub-buffers (4 x 4 KiB per CPU) and heavy parallel traffic, so lttng discards events.
S=${SCEN_NAME:-discards}
. /lab/lib.sh; . /lab/lab2lib.sh
OUT=$OUTROOT/$S; rm -rf $OUT; mkdir -p $OUT; GT=$OUT/groundtruth; mkdir -p $GT
SUBBUF=4K; NSUBBUF=4; CH=chan0
EVENTS='net_* netif_* napi_* skb_* lttng_statedump_*'
teardown; ipv6_off
mkbridge virbr0 192.168.122.1/24 52:54:00:ff:00:01 0
mkvm vm1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11/24
mkvm vm2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12/24
mkvm vm3 virbr0 vnet2 52:54:00:00:00:03 192.168.122.13/24
mkvm vm4 virbr0 vnet3 52:54:00:00:00:04 192.168.122.14/24
# offloads off in the VMs: one event per wire frame, many more events per byte
for ns in vm1 vm2 vm3 vm4; do ip netns exec $ns ethtool -K eth0 tso off gso off gro off 2>/dev/null || true; done
sleep 1
snapshot pre
lttng create $S --output=$OUT/trace
lttng enable-channel -k --discard --subbuf-size=$SUBBUF --num-subbuf=$NSUBBUF $CH
for e in $EVENTS; do lttng enable-event -k -c $CH "$e"; done
lttng add-context -k -c $CH -t procname -t tid -t pid -t net_ns
lttng list $S > $OUT/lttng-session-config.txt
lttng start $S
TRACE_START_NS=$(now_ns)
sleep 0.5
iperf_time_flow X1 vm1 vm2 5201 tcp 3 &
iperf_time_flow X2 vm3 vm4 5202 udp 3 -b 30M -l 1000 &
wait
sleep 0.5
ping_flow X3 vm4 192.168.122.11 10 0.1
sleep 0.5
lttng stop $S
TRACE_STOP_NS=$(now_ns)
lttng list $S > $OUT/lttng-session-final.txt 2>&1
lttng destroy $S
snapshot post
jq -n --arg s $S --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS --argjson vms "$(topology_json)" --slurpfile flows $OUT/flows.jsonl \
   --argjson st "$(lttng_stats $OUT/lttng-session-final.txt)" --arg ev "$EVENTS" --arg kern "$(uname -r)" '{
  scenario:$s, description:"one Linux bridge virbr0, 4 VMs as netns vm1..vm4 on veth (TSO/GSO/GRO off in the VMs). X1 (TCP vm1->vm2, 3 s) and X2 (UDP 30 Mbit/s vm3->vm4, 3 s) run in parallel, then X3 (10 pings). The kernel channel has 4 sub-buffers of 4 KiB per CPU in discard mode, so the tracer discards most events: this trace is a real trace with lost events.",
  clock:"all *_ns are CLOCK_REALTIME ns in the guest (date +%s%N), rounded to ~256 ns by jq doubles; lttng CTF timestamps are the monotonic clock plus the realtime offset stored in the metadata",
  trace_start_ns:$t0, trace_stop_ns:$t1,
  bridges:[{name:"virbr0", mac:"52:54:00:ff:00:01", ip:"192.168.122.1/24", vlan_filtering:false, stp:false}],
  vms:$vms, flows:$flows,
  notes:["interface counters before/after tracing: groundtruth/ifstats-pre.json / ifstats-post.json: the trace holds only part of these packets",
         "discarded events: lttng-session-final.txt (lttng list after stop); babeltrace2 reports the discarded-event ranges per stream on stderr",
         "IPv6 switched off by sysctl before the topology was built: no ND/MLD background",
         "X1 and X2 overlap in time (parallel:true in flows)"],
  guest_hostname:"labguest", guest_kernel:$kern,
  lttng:{session:$s, domain:"kernel", channel:"chan0", subbuf_size:4096, num_subbuf:4, event_loss_mode:"discard",
         enabled_event_patterns:($ev|split(" ")), contexts:["procname","tid","pid","net_ns"], trace_dir:"trace/kernel",
         discarded_events_reported_by_lttng:$st.discarded_events, lost_packets_reported_by_lttng:$st.lost_packets,
         discarded_events_source:"lttng-session-final.txt (lttng list <session> after stop)"}}' > $OUT/scenario.json
teardown
log done
