# fixed scenario replug: m1,m2 on virbr0 (vnet0,vnet1), m3 on virbr1 (vnet2). virbr0 and virbr1 are joined by the veth pair
# vpatch0/vpatch1, so all VMs share 192.168.122.0/24. Pings m2->m3 and m1->m3 run while m2's host-side veth vnet1 is detached
# from virbr0 and attached as a new port of virbr1 (same MAC/IP, same device), as an operator re-plugging a VM.
g_begin replug
g_bridge virbr0 52:54:00:ff:00:01 192.168.122.1/24 0
g_bridge virbr1 52:54:00:ff:01:01 192.168.100.1/24 0
g_patch virbr0 virbr1
g_vm m1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11
g_vm m2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12
g_vm m3 virbr1 vnet2 52:54:00:00:00:03 192.168.122.13
g_trace_setup
g_start
sleep 0.5
g_bg g_ping P1 m2 192.168.122.13 80 0.1 56
g_bg g_ping P2 m1 192.168.122.13 80 0.1 56
sleep 2.5
# quick counter snapshot right before the move (root netns only, read timed: time-before-replug-root.begin.ns/.end.ns; full snapshots take seconds under TCG)
date +%s%N > $GT/time-before-replug.ns; g_read_links before-replug root; bridge -j fdb show > $GT/fdb-before-replug.json
g_move m2 virbr1
sleep 1
date +%s%N > $GT/time-after-replug.ns; g_read_links after-replug root; bridge -j fdb show > $GT/fdb-after-replug.json
g_wait_bg
sleep 0.3
g_iperf F3 m2 m3 5202 tcp 1048576 4
sleep 0.3
g_ping F4 m1 192.168.122.12 10 0.1 56
sleep 1
g_stop
cat > $OUT/.params.json <<J
{"name":"replug","fixed":true,"seed":null,"bridges_linked_by_veth":true,
 "replug":{"vm":"m2","port":"vnet1","from":"virbr0","to":"virbr1"},
 "expect":"before: m2->m3 crosses virbr0 -> vpatch0 -> vpatch1 -> virbr1 -> vnet2; after: virbr1 vnet1 -> vnet2 directly; m1->m3 unchanged; F4 m1->m2 crosses the patch after the replug"}
J
g_finish $OUT/.params.json 'fixed scenario replug: virbr0 (m1 vnet0, m2 vnet1) and virbr1 (m3 vnet2) joined by veth vpatch0<->vpatch1 (one subnet 192.168.122.0/24). Background pings P1 m2->m3 and P2 m1->m3 (80 x 0.1 s); after 2.5 s vnet1 is detached from virbr0 (ip link set vnet1 nomaster) and enslaved to virbr1 (same device, same VM MAC/IP); root-netns counter/FDB snapshots before-replug / after-replug (1 s after) around the move; then TCP 1 MiB m2->m3 and ping m1->m2'
rm -f $OUT/.params.json
g_teardown
log done
