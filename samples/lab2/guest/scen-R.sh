#!/bin/bash
# Scenario R: record-dryrun. The command list of `vnetscope record --dry-run`, generated in this guest (where lttng can say
# which kernel events it offers), run line by line around a small bridge scenario.
S=${SCEN_NAME:-record-dryrun}
. /lab/lib.sh; . /lab/lab2lib.sh
OUT=$OUTROOT/$S; rm -rf $OUT; mkdir -p $OUT; GT=$OUT/groundtruth; mkdir -p $GT
teardown; ipv6_off
mkbridge virbr0 192.168.122.1/24 52:54:00:ff:00:01 0
mkvm vm1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11/24
mkvm vm2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12/24
mkvm vm3 virbr0 vnet2 52:54:00:00:00:03 192.168.122.13/24
sleep 1
T=$(now_ns)
java -jar /lab/vnetscope.jar record --dry-run --session $S --output $OUT/trace > $OUT/record.sh 2> $OUT/record-dryrun.stderr
echo "java rc=$? in $(( ($(now_ns)-T)/1000000 )) ms"
cat $OUT/record.sh $OUT/record-dryrun.stderr
# split at `lttng start`: setup (up to and with start), then the scenario, then the rest (stop, destroy)
n=$(grep -n '^lttng start' $OUT/record.sh | cut -d: -f1)
head -n $n $OUT/record.sh > /tmp/record-setup.sh
tail -n +$((n+1)) $OUT/record.sh | grep -v '^lttng destroy' > /tmp/record-stop.sh
grep '^lttng destroy' $OUT/record.sh > /tmp/record-destroy.sh
snapshot pre
run_commands /tmp/record-setup.sh
TRACE_START_NS=$(now_ns)
lttng list $S > $OUT/lttng-session-config.txt 2>&1
sleep 1
ping_flow R1 vm1 192.168.122.12 20 0.1
sleep 0.5
iperf_flow R2 vm1 vm3 5201 tcp 5M
sleep 0.5
iperf_flow R3 vm2 vm3 5202 udp 500000 -b 2M -l 1000
sleep 1
run_commands /tmp/record-stop.sh
TRACE_STOP_NS=$(now_ns)
lttng list $S > $OUT/lttng-session-final.txt 2>&1
run_commands /tmp/record-destroy.sh
snapshot post
jq -n --arg s $S --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS --argjson vms "$(topology_json)" --slurpfile flows $OUT/flows.jsonl \
   --argjson st "$(lttng_stats $OUT/lttng-session-final.txt)" --rawfile cmds $OUT/record.sh --arg kern "$(uname -r)" '{
  scenario:$s, description:"one Linux bridge virbr0 (192.168.122.1/24), 3 VMs as netns vm1..vm3 connected by veth (host side vnetN enslaved to virbr0, guest side eth0). The lttng session is the exact command list printed by `vnetscope record --dry-run` in the guest (record.sh), run line by line. Flows run sequentially.",
  clock:"all *_ns are CLOCK_REALTIME ns in the guest (date +%s%N), rounded to ~256 ns by jq doubles; lttng CTF timestamps are the monotonic clock plus the realtime offset stored in the metadata",
  trace_start_ns:$t0, trace_stop_ns:$t1,
  bridges:[{name:"virbr0", mac:"52:54:00:ff:00:01", ip:"192.168.122.1/24", vlan_filtering:false, stp:false}],
  vms:$vms, flows:$flows,
  notes:["interface counters before/after tracing: groundtruth/ifstats-pre.json / ifstats-post.json (also raw ip -j -s -s -d link per netns)",
         "veth has TSO/GSO on: TCP skbs up to ~64KB appear as single packets on veth/bridge counters and in net_dev_* events",
         "IPv6 switched off by sysctl (all/default disable_ipv6=1, devconf_inherit_init_net=1) before the topology was built: no ND/MLD background",
         "iperf3 also uses a TCP control connection on the same port as the data stream"],
  guest_hostname:"labguest", guest_kernel:$kern,
  lttng:{session:$s, domain:"kernel", channel:"vnetscope", subbuf_size:1048576, num_subbuf:16, event_loss_mode:"discard",
         commands:($cmds|rtrimstr("\n")|split("\n")), contexts:["procname","tid","pid","net_ns"], trace_dir:"trace/kernel",
         discarded_events_reported_by_lttng:$st.discarded_events, lost_packets_reported_by_lttng:$st.lost_packets,
         discarded_events_source:"lttng-session-final.txt (lttng list <session> after stop)"}}' > $OUT/scenario.json
teardown
log done
