#!/usr/bin/env python3
"""Host-side cross-check of one host's recording: phy0 counter deltas (groundtruth-summary.json) against the trace.
usage: nic-check.py OUT_DIR/<scenario>/<host> [...]   (runs babeltrace2 on trace/; prints one JSON object per dir)
GRO events carry only skbaddr/ret; they are attributed to a device through the napi_poll event that follows them
on the same CPU (napi_poll fires when the poll function returns, with dev_name)."""
import json, re, subprocess, sys, collections
ev_re = re.compile(r'^\[[^]]*\] \([^)]*\) \S+ (\S+): \{ cpu_id = (\d+) \}(.*)$')
def field(rest, k):
    m = re.search(r'\b' + k + r' = ("[^"]*"|[^,}]+)', rest)
    return m.group(1).strip().strip('"') if m else None
for d in sys.argv[1:]:
    gs = json.load(open(d + '/groundtruth-summary.json'))
    phy = next(i for i in gs['interface_counter_deltas'] if i['netns'] == 'root' and i['ifname'] == 'phy0')['delta']
    bt = subprocess.run(['babeltrace2', d + '/trace'], capture_output=True, text=True).stdout.splitlines()
    pend = collections.defaultdict(list)      # cpu -> pending GRO events
    gro = collections.Counter(); gro_ret = collections.Counter(); dev = collections.Counter()
    xmit_len = []
    for l in bt:
        m = ev_re.match(l)
        if not m: continue
        name, cpu, rest = m.group(1), m.group(2), m.group(3)
        if name.startswith('net_napi_gro_'):
            pend[cpu].append((name, field(rest, 'ret')))
        elif name == 'napi_poll':
            dn = field(rest, 'dev_name')
            for n, r in pend[cpu]:
                gro[(dn, n)] += 1
                if r is not None: gro_ret[(dn, r)] += 1
            pend[cpu] = []
        elif name in ('net_if_receive_skb', 'net_dev_xmit', 'net_dev_queue', 'net_if_rx'):
            nm = field(rest, 'name'); dev[(nm, name)] += 1
            if name == 'net_dev_xmit' and nm == 'phy0': xmit_len.append(int(field(rest, 'len')))
    r = {'dir': d, 'phy0_delta': phy,
         'trace_phy0': {k[1]: v for k, v in dev.items() if k[0] == 'phy0'},
         'gro_by_napi_dev': {f'{k[0]}:{k[1]}': v for k, v in sorted(gro.items())},
         'gro_exit_ret_by_dev': {f'{k[0]}:ret={k[1]}': v for k, v in sorted(gro_ret.items())},
         'gro_unattributed': sum(len(v) for v in pend.values()),
         'phy0_xmit_len_gt_1514': sum(1 for x in xmit_len if x > 1514),
         'phy0_xmit_bytes_sum': sum(xmit_len)}
    print(json.dumps(r))
