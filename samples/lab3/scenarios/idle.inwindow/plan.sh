# fixed scenario idle: virbr0 with 4 VMs; vm1 <-> vm2 carry traffic, vm3 and vm4 stay idle (IPv6 off: no ND/MLD).
# Before the trace: permanent neighbour entries vm1<->vm2 and one warm-up ping (bridge FDB learned), so no broadcast
# or unknown-unicast flooding reaches vnet2/vnet3 during the trace.
g_begin idle
g_bridge virbr0 52:54:00:ff:00:01 192.168.122.1/24 0
g_vm vm1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11
g_vm vm2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12
g_vm vm3 virbr0 vnet2 52:54:00:00:00:03 192.168.122.13 idle=1
g_vm vm4 virbr0 vnet3 52:54:00:00:00:04 192.168.122.14 idle=1
g_static_neigh vm1 192.168.122.12 52:54:00:00:00:02
g_static_neigh vm2 192.168.122.11 52:54:00:00:00:01
ip netns exec vm1 ping -c 1 -W 2 192.168.122.12 > $GT/warmup-ping.txt 2>&1
ip netns exec vm2 ping -c 1 -W 2 192.168.122.11 >> $GT/warmup-ping.txt 2>&1
g_trace_setup
g_start
sleep 0.5
g_ping F1 vm1 192.168.122.12 20 0.1 56
sleep 0.3
g_iperf F2 vm1 vm2 5202 tcp 2097152 4
sleep 0.3
g_iperf F3 vm2 vm1 5203 udp 300000 4 -b 4M -l 1000
sleep 0.3
g_idle 5
g_ping F4 vm2 192.168.122.11 5 0.2 56
sleep 1
g_stop
cat > $OUT/.params.json <<J
{"name":"idle","fixed":true,"seed":null,"idle_vms":["vm3","vm4"],"idle_ports":["vnet2","vnet3"],
 "expect":"vnet2, vnet3 and vm3/vm4 eth0 counter deltas 0 over the trace; all traffic between vnet0 and vnet1"}
J
g_finish $OUT/.params.json 'fixed scenario idle: virbr0 (192.168.122.1) with vm1..vm4 on vnet0..vnet3; only vm1<->vm2 carry traffic (ping 20, TCP 2 MiB, UDP 300 x 1000 B, 5 s idle, ping 5); vm3/vm4 idle; permanent ARP entries vm1<->vm2 and a warm-up ping before the trace; IPv6 off'
rm -f $OUT/.params.json
g_teardown
log done
