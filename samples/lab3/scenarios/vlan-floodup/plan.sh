# fixed scenario vlan-floodup: VLAN-filtering virbr0 whose own device is a member of VLAN 10 only (pvid 10 untagged, VLAN 1 removed),
# VMs vm1,vm2 on VLAN 20 (bridge NOT a member), vm3,vm4 on VLAN 10. ARP broadcasts of VLAN 20 are flooded up to virbr0
# (counted in virbr0 rx, then dropped in br_pass_frame_up); VLAN 10 broadcasts reach the bridge's IP stack.
g_begin vlan-floodup
g_bridge virbr0 52:54:00:ff:00:01 192.168.122.1/24 1
g_self_vlan virbr0 vid 10 pvid untagged
g_self_vlan_del virbr0 1
g_vm vm1 virbr0 vnet0 52:54:00:00:00:01 192.168.122.11 vid=20 vmode=access
g_vm vm2 virbr0 vnet1 52:54:00:00:00:02 192.168.122.12 vid=20 vmode=access
g_vm vm3 virbr0 vnet2 52:54:00:00:00:03 192.168.122.13 vid=10 vmode=access
g_vm vm4 virbr0 vnet3 52:54:00:00:00:04 192.168.122.14 vid=10 vmode=access
g_trace_setup
g_start
sleep 0.5
g_ping F1 vm1 192.168.122.12 10 0.1 56          # VLAN 20: ARP broadcast flooded to vm2 and up to virbr0 (not a member of 20)
sleep 0.3
g_arping F2 vm2 192.168.122.11 3                # more VLAN 20 broadcasts (arping sends broadcast requests)
sleep 0.3
g_ping F3 vm3 192.168.122.14 10 0.1 56          # VLAN 10: bridge is a member, broadcasts go up to its stack
sleep 0.3
g_ping F4 vm3 192.168.122.1 5 0.2 56            # VLAN 10 -> bridge IP (answers)
sleep 0.3
g_ping F5 vm1 192.168.122.1 3 0.2 56            # VLAN 20 -> bridge IP: ARP dropped at the bridge device, no reply
sleep 0.3
g_iperf F6 vm2 vm1 5202 udp 300000 4 -b 4M -l 1000
sleep 1
g_stop
cat > $OUT/.params.json <<J
{"name":"vlan-floodup","fixed":true,"seed":null,"bridges":[{"name":"virbr0","vlan_filtering":true,"self_pvid":10,"self_tagged":[],"self_not_member":[20,1]}],
 "vms":[{"ns":"vm1","vid":20},{"ns":"vm2","vid":20},{"ns":"vm3","vid":10},{"ns":"vm4","vid":10}],
 "expect":"VLAN 20 broadcasts (ARP of F1,F2,F5, and nothing else) counted in virbr0 rx_packets although virbr0 is not a member of VLAN 20; F5 gets no reply; F1,F3,F4 answered"}
J
g_finish $OUT/.params.json 'fixed scenario vlan-floodup: vlan_filtering virbr0 (self: vid 10 pvid untagged only, VLAN 1 and 20 not configured on the bridge device), vm1/vm2 access ports VLAN 20 (vnet0/vnet1), vm3/vm4 access ports VLAN 10 (vnet2/vnet3); pings inside each VLAN, vm3 and vm1 ping the bridge IP, UDP iperf3 300 x 1000 B vm2->vm1'
rm -f $OUT/.params.json
g_teardown
log done
