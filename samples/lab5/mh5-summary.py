#!/usr/bin/env python3
"""Summary of the lab5 recordings: per host trace size, events, discarded events, the clock ground truth
(hostb - hosta, from hosta's clockprobe files: the probe with the smallest round trip, bound rtt/2) and the
migration timeline on hosta's clock.  usage: mh5-summary.py <recordings dir>"""
import json, os, sys
R = sys.argv[1]
def best(p):
    rows = [list(map(int, l.split())) for l in open(p) if len(l.split()) == 6]
    b = min(rows, key=lambda r: r[5])
    return {'offset_ns': b[4], 'rtt_ns': b[5], 'bound_ns': b[5] // 2, 'probes': len(rows),
            'offset_min_ns': min(r[4] for r in rows), 'offset_max_ns': max(r[4] for r in rows)}
def times(p):
    return {l.split()[0]: int(l.split()[1]) for l in open(p) if len(l.split()) == 2}
out = {}
for s in sorted(os.listdir(R)):
    sd = os.path.join(R, s)
    if not os.path.isdir(sd) or not s.startswith('mh-'): continue
    out[s] = {'hosts': {}}
    for h in ('hosta', 'hostb'):
        d = os.path.join(sd, h)
        if not os.path.isdir(d): continue
        tb = sum(os.path.getsize(os.path.join(a, f)) for a, _, fs in os.walk(os.path.join(d, 'trace')) for f in fs)
        total = open(os.path.join(d, 'counts.txt')).read().split('\n')[-2].split()[0]
        disc = open(os.path.join(d, 'groundtruth', 'lttng-discarded.txt')).read().split()
        sc = json.load(open(os.path.join(d, 'scenario.json')))
        out[s]['hosts'][h] = {'trace_bytes': tb, 'events': int(total), 'discarded': disc[-1] if disc else None,
                              'flows': [{k: f.get(k) for k in ('id', 'local_role', 'rc', 'echo_requests_sent', 'echo_replies_received')} for f in sc['flows']],
                              'times': times(os.path.join(d, 'groundtruth', 'times.txt'))}
    ga = os.path.join(sd, 'hosta', 'groundtruth')
    cp = {k: best(os.path.join(ga, f'clockprobe-{k}.txt')) for k in ('pre', 'post') if os.path.exists(os.path.join(ga, f'clockprobe-{k}.txt'))}
    out[s]['clock_hostb_minus_hosta'] = cp
    ta, tb_ = out[s]['hosts'].get('hosta', {}).get('times', {}), out[s]['hosts'].get('hostb', {}).get('times', {})
    if 'PAUSE_NS' in ta and 'RECREATE_NS' in tb_ and cp:
        off = cp['pre']['offset_ns']
        ann = [int(l.split()[1]) for l in open(os.path.join(sd, 'hostb', 'groundtruth', 'announce-rarp.txt')) if len(l.split()) == 2]
        ev = [('A pause (ip link set vnet2 down)', ta['PAUSE_NS']), ('A port down done', ta['DOWN_NS']),
              ('A ip link del vnet2 starts', ta['DEL_START_NS']), ('A veth deleted', ta['DEL_NS']),
              ('A netns deleted = teardown_ns', ta['TEARDOWN_NS']), ('B migrate message received', tb_['MSG_RX_NS'] - off),
              ('B recreate starts', tb_['RC_START_NS'] - off), ('B recreate done = recreate_ns', tb_['RECREATE_NS'] - off)]
        ev += [(f'B RARP {i+1} sent', t - off) for i, t in enumerate(ann)]
        ev += [('B gratuitous ARP done', tb_['GARP_END_NS'] - off)]
        out[s]['migration_on_hosta_clock'] = [{'step': n, 'ns': t, 'since_pause_ms': round((t - ta['PAUSE_NS']) / 1e6, 1)} for n, t in ev]
        out[s]['migration_note'] = f'hostb times converted with the pre-trace clockprobe offset {off} ns (bound +-{cp["pre"]["bound_ns"]} ns)'
print(json.dumps(out, indent=1))
