#!/bin/bash
# Scenario L: record-live. `vnetscope record --duration` itself (not the dry run) around a ping and a short TCP iperf3.
S=${SCEN_NAME:-record-live}
. /lab/lib.sh; . /lab/lab2lib.sh
OUT=$OUTROOT/$S; rm -rf $OUT; mkdir -p $OUT; GT=$OUT/groundtruth; mkdir -p $GT
teardown; ipv6_off
mkbridge virbr0 192.168.122.1/24 52:54:00:ff:00:01 0
mkvm vm1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11/24
mkvm vm2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12/24
sleep 1
snapshot pre
T0=$(now_ns)
java -jar /lab/vnetscope.jar record --duration 25s --session $S --output $OUT/trace > $OUT/record-live.stdout 2> $OUT/record-live.stderr &
RP=$!
# wait until the session is started
for i in $(seq 100); do lttng list $S 2>/dev/null | grep -q 'session.*\[active\]' && break; sleep 0.2; done
TRACE_START_NS=$(now_ns); lttng list $S > $OUT/lttng-session-config.txt 2>&1
echo "session active after $(( (TRACE_START_NS-T0)/1000000 )) ms"
sleep 1
ping_flow L1 vm1 192.168.122.12 10 0.1
iperf_flow L2 vm2 vm1 5201 tcp 2M
wait $RP; echo "vnetscope record rc=$?" | tee $OUT/record-live.rc
TRACE_STOP_NS=$(now_ns)
snapshot post
cat $OUT/record-live.stderr
jq -n --arg s $S --argjson t0 $TRACE_START_NS --argjson t1 $TRACE_STOP_NS --argjson vms "$(topology_json)" --slurpfile flows $OUT/flows.jsonl --arg kern "$(uname -r)" '{
  scenario:$s, description:"virbr0 with 2 VMs (veth); `vnetscope record --duration 25s` run for real in the guest (java -jar), around L1 ping vm1->vm2 (10) and L2 iperf3 TCP vm2->vm1 2 MiB.",
  clock:"all *_ns are CLOCK_REALTIME ns in the guest; trace_start_ns is when `lttng list` first showed the session active, trace_stop_ns when vnetscope record exited",
  trace_start_ns:$t0, trace_stop_ns:$t1,
  bridges:[{name:"virbr0", mac:"52:54:00:ff:00:01", ip:"192.168.122.1/24", vlan_filtering:false, stp:false}],
  vms:$vms, flows:$flows,
  notes:["vnetscope record destroys its session, so there is no lttng list after stop; record-live.stderr is what vnetscope printed"],
  guest_hostname:"labguest", guest_kernel:$kern,
  lttng:{session:$s, domain:"kernel", channel:"vnetscope", subbuf_size:1048576, num_subbuf:16, event_loss_mode:"discard", trace_dir:"trace/kernel"}}' > $OUT/scenario.json
teardown
log done
