#!/usr/bin/env python3
"""Markdown tables for README: per scenario and host, phy0 counter deltas, trace event counts (counts.txt) and the
GRO attribution of nic-check.py.   usage: nic-summary.py OUT_DIR"""
import json, os, subprocess, sys, glob
out = sys.argv[1]; here = os.path.dirname(os.path.abspath(__file__))
rows = []
for d in sorted(glob.glob(os.path.join(out, 'nic*/host*'))):
    if not os.path.isdir(d): continue
    sc = json.load(open(d + '/scenario.json'))
    cnt = {}
    for l in open(d + '/counts.txt'):
        n, name = l.split(None, 1); cnt[name.strip()] = int(n)
    disc = [l.split(':')[1].strip() for l in open(d + '/lttng-session-final.txt') if 'Discarded events' in l]
    chk = json.loads(subprocess.run([sys.executable, here + '/nic-check.py', d], capture_output=True, text=True).stdout)
    p = chk['phy0_delta']; g = chk['gro_by_napi_dev']; t = chk['trace_phy0']
    kf = open(d + '/groundtruth/ethtool-k-pre-phy0.txt').read().splitlines()
    feat = {l.split(':')[0].strip(): l.split(':', 1)[1].strip() for l in kf if ':' in l}
    tb = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d + '/trace') for f in fs)
    rows.append((sc['scenario'], sc['host'], sc['data_nic']['driver'],
                 f"gro {feat.get('generic-receive-offload')}, tso {feat.get('tcp-segmentation-offload')}, gso {feat.get('generic-segmentation-offload')}",
                 p['rx_packets'], p['rx_bytes'], p['tx_packets'], p['tx_bytes'],
                 cnt.get('net_napi_gro_receive_entry', 0), cnt.get('net_napi_gro_receive_exit', 0), cnt.get('net_if_receive_skb', 0),
                 g.get('phy0:net_napi_gro_receive_entry', 0), t.get('net_if_receive_skb', 0), t.get('net_dev_xmit', 0),
                 chk['phy0_xmit_len_gt_1514'], ','.join(disc), tb))
print('| scenario | host | driver | phy0 offloads (ethtool -k, pre) | rx pkts | rx bytes | tx pkts | tx bytes | gro_receive_entry (all) | gro_receive_exit (all) | net_if_receive_skb (all) | gro_receive_entry on phy0 NAPI | net_if_receive_skb name=phy0 | net_dev_xmit name=phy0 | of which len>1514 | discarded | trace bytes |')
print('|' + '---|' * 17)
for r in rows: print('| ' + ' | '.join(str(x) for x in r) + ' |')
