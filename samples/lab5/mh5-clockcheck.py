#!/usr/bin/env python3
"""Clock offset between the two hosts from the traces alone: ICMP packets on DEV (default phy0; vxlan100 for mh-vxlan),
the sender net_dev_queue against the receiver net_if_receive_skb, matched by (IP id, saddr, daddr). The smallest
one-way differences in each direction bound the offset (hostb - hosta).  usage: mh5-clockcheck.py A_TRACE B_TRACE [DEV]"""
import re, subprocess, sys
DEV = sys.argv[3] if len(sys.argv) > 3 else "phy0"

pat = re.compile(r'^\[(\d+)\.(\d+)\].* (net_dev_queue|net_if_receive_skb): .*name = "' + DEV + '".*"_ipv4".*?id = (0x[0-9A-F]+).*?protocol = \( "_icmp" : container = 1 \).*?saddr = (.*?), daddr_padding.*?daddr = (.*?), transport_header_type')
def load(t):
    d = {}
    for l in subprocess.run(['babeltrace2', '--clock-seconds', t], capture_output=True, text=True).stdout.splitlines():
        m = pat.search(l)
        if m:
            ns = int(m.group(1)) * 10**9 + int(m.group(2))
            d.setdefault((m.group(3), m.group(4), m.group(5), m.group(6)), ns)
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
ab = [b[('net_if_receive_skb',) + k[1:]] - t for k, t in a.items() if k[0] == 'net_dev_queue' and ('net_if_receive_skb',) + k[1:] in b]
ba = [a[('net_if_receive_skb',) + k[1:]] - t for k, t in b.items() if k[0] == 'net_dev_queue' and ('net_if_receive_skb',) + k[1:] in a]
print(f'A->B matched {len(ab)}, min(tB-tA) {min(ab)} ns; B->A matched {len(ba)}, min(tA-tB) {min(ba)} ns')
print(f'offset (B-A) within [{-min(ba)}, {min(ab)}] ns, midpoint {(min(ab) - min(ba)) // 2} ns')
