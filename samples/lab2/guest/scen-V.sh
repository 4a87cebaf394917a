#!/bin/bash
# Scenario V: ipv6. IPv6 on in the namespaces (static ULA addresses fd00:122::/64, plus the kernel's link-local ones):
# ping6, TCP and UDP iperf3 over IPv6, and one IPv4 ping for contrast.
S=${SCEN_NAME:-ipv6}
. /lab/lib.sh; . /lab/lab2lib.sh
OUT=$OUTROOT/$S; rm -rf $OUT; mkdir -p $OUT; GT=$OUT/groundtruth; mkdir -p $GT
EVENTS='net_* netif_* napi_* skb_* lttng_statedump_*'
teardown; ipv6_on
mkbridge virbr0 192.168.122.1/24 52:54:00:ff:00:01 0
ip -6 addr add fd00:122::1/64 dev virbr0 nodad
mkvm vm1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11/24
mkvm vm2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12/24
mkvm vm3 virbr0 vnet2 52:54:00:00:00:03 192.168.122.13/24
add_ip6 vm1 fd00:122::11; add_ip6 vm2 fd00:122::12; add_ip6 vm3 fd00:122::13
# let link-local DAD, router solicitations and MLD reports of the new interfaces settle before tracing
sleep 4
snapshot pre
lttng create $S --output=$OUT/trace
lttng enable-channel -k --discard --subbuf-size=1M --num-subbuf=16 chan0
for e in $EVENTS; do lttng enable-event -k -c chan0 "$e"; done
lttng add-context -k -c chan0 -t procname -t tid -t pid -t net_ns
lttng list $S > $OUT/lttng-session-config.txt
lttng start $S
TRACE_START_NS=$(now_ns)
sleep 1
ping_flow V1 vm1 fd00:122::12 20 0.1 -6
sleep 0.5
iperf6_flow V2 vm1 vm2 5201 tcp 5M
sleep 0.5
iperf6_flow V3 vm2 vm3 5202 udp 500000 -b 2M -l 1000
sleep 0.5
ping_flow V4 vm3 192.168.122.11 10 0.1
sleep 1
lttng stop $S
TRACE_STOP_NS=$(now_ns)
lttng list $S > $OUT/lttng-session-final.txt 2>&1
lttng destroy $S
snapshot post
jq -n --arg s $S --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS --argjson vms "$(topology_json6)" --slurpfile flows $OUT/flows.jsonl \
   --argjson st "$(lttng_stats $OUT/lttng-session-final.txt)" --arg ev "$EVENTS" --arg kern "$(uname -r)" '{
  scenario:$s, description:"one Linux bridge virbr0 (192.168.122.1/24 and fd00:122::1/64), 3 VMs as netns vm1..vm3 on veth with IPv4 and IPv6 (fd00:122::1N/64, nodad). V1 ping6 vm1->vm2, V2 iperf3 -6 TCP vm1->vm2 5 MiB, V3 iperf3 -6 UDP vm2->vm3 500 x 1000 B, V4 IPv4 ping vm3->vm1. Flows run sequentially.",
  clock:"all *_ns are CLOCK_REALTIME ns in the guest (date +%s%N), rounded to ~256 ns by jq doubles; lttng CTF timestamps are the monotonic clock plus the realtime offset stored in the metadata",
  trace_start_ns:$t0, trace_stop_ns:$t1,
  bridges:[{name:"virbr0", mac:"52:54:00:ff:00:01", ip:"192.168.122.1/24", ip6:"fd00:122::1/64", vlan_filtering:false, stp:false}],
  vms:$vms, flows:$flows,
  notes:["interface counters before/after tracing: groundtruth/ifstats-pre.json / ifstats-post.json (also raw ip -j -s -s -d link per netns)",
         "IPv6 is on (kernel booted without ipv6.disable): besides the flows the trace has IPv6 background traffic (neighbour solicitation/advertisement, MLD reports, router solicitations from the link-local addresses)",
         "veth has TSO/GSO on: TCP skbs up to ~64KB appear as single packets on veth/bridge counters and in net_dev_* events",
         "ping6 payload is 56 B as for IPv4: IPv6 packet 104 B, frame 118 B (the flow records keep the IPv4 sizes of the shared ping helper for V1)",
         "iperf3 also uses a TCP control connection on the same port as the data stream"],
  guest_hostname:"labguest", guest_kernel:$kern,
  lttng:{session:$s, domain:"kernel", channel:"chan0", subbuf_size:1048576, num_subbuf:16, event_loss_mode:"discard",
         enabled_event_patterns:($ev|split(" ")), contexts:["procname","tid","pid","net_ns"], trace_dir:"trace/kernel",
         discarded_events_reported_by_lttng:$st.discarded_events, lost_packets_reported_by_lttng:$st.lost_packets,
         discarded_events_source:"lttng-session-final.txt (lttng list <session> after stop)"}}' > $OUT/scenario.json
teardown
log done
