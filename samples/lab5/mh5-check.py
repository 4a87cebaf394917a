#!/usr/bin/env python3
"""Cross-check one host's trace against its counters: for each root-namespace device, the number of net_dev_xmit
events (name=dev) against the tx_packets delta, and of net_if_rx + receive-path events against rx_packets.
Delta = post - pre; a device created during the trace counts from 0; a device deleted during the trace uses
groundtruth/link-predelete-root.json. Prints one line per device.  usage: mh5-check.py <scenario>/<host>"""
import json, os, re, subprocess, sys, collections
d = sys.argv[1]; gt = os.path.join(d, 'groundtruth')
def links(tag):
    p = os.path.join(gt, f'link-{tag}-root.json')
    if not os.path.exists(p): return {}
    return {l['ifname']: l['stats64'] for l in json.load(open(p))}
pre, post, pred = links('pre'), links('post'), links('predelete')
tx = collections.Counter(); rxq = collections.Counter(); rxr = collections.Counter()
pat = re.compile(r' (net_dev_xmit|net_if_rx|net_if_receive_skb): .*?, name = "([^"]+)"')
p = subprocess.Popen(['babeltrace2', os.path.join(d, 'trace')], stdout=subprocess.PIPE, text=True)
for line in p.stdout:
    m = pat.search(line)
    if not m: continue
    ev, name = m.groups()
    {'net_dev_xmit': tx, 'net_if_rx': rxq, 'net_if_receive_skb': rxr}[ev][name] += 1
print(f'{"dev":10} {"tx_delta":>9} {"xmit_ev":>8} {"rx_delta":>9} {"if_rx_ev":>8} {"recv_skb_ev":>11}  note')
for dev in sorted(set(pre) | set(post) | set(pred)):
    if dev == 'lo': continue
    end = post.get(dev) or pred.get(dev); start = pre.get(dev)
    note = '' if dev in pre and dev in post else ('created during trace' if dev not in pre else 'deleted during trace (predelete counters)')
    dt = end['tx']['packets'] - (start['tx']['packets'] if start else 0)
    dr = end['rx']['packets'] - (start['rx']['packets'] if start else 0)
    print(f'{dev:10} {dt:9} {tx[dev]:8} {dr:9} {rxq[dev]:8} {rxr[dev]:11}  {note}')
