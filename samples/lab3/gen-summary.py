#!/usr/bin/env python3
"""gen-summary.py OUTDIR : SUMMARY.md for the generator's output folder (one line per scenario, failures, totals)."""
import glob, json, os, sys

d = sys.argv[1]
runs = []
for f in sorted(glob.glob(os.path.join(d, 'boots', '*', 'gen-run-summary.jsonl'))):
    runs += [json.loads(l) for l in open(f) if l.strip()]
order = {}
for i, r in enumerate(runs):
    order.setdefault(r['scenario'], i)


def load(p):
    try:
        return json.load(open(p))
    except Exception:
        return None


def dirbytes(p):
    return sum(os.path.getsize(os.path.join(a, f)) for a, _, fs in os.walk(p) for f in fs)


def params(sc):
    g = sc.get('generator') or {}
    if g.get('fixed'):
        return 'fixed scenario'
    bits = []
    for b in g.get('bridges', []):
        s = f"{b['name']}(vf={int(b['vlan_filtering'])},ip={'y' if b['ip'] else 'n'}"
        if b['vlan_filtering']:
            s += f",self_pvid={b['self_pvid']},self_not_member={b['self_not_member']}"
        bits.append(s + ')')
    if g.get('bridges_linked_by_veth'): bits.append('linked')
    vms = g.get('vms', [])
    bits.append(f"{len(vms)} VMs" + (f" ({sum(v['idle'] for v in vms)} idle)" if any(v['idle'] for v in vms) else ''))
    if any(v['vid'] for v in vms):
        bits.append('vids ' + ','.join(f"{v['ns']}:{v['vid']}{'t' if v['vmode'] == 'tagged' else ''}" for v in vms))
    if g.get('ipv6'): bits.append('IPv6')
    if g.get('mtu'): m = g['mtu']; bits.append(f"MTU seg {m['segment_mtu']} victim {m['victim']} {m['victim_eth0_mtu']} ({m['victim_side']})")
    for o in g.get('offloads_off', []): bits.append(f"offload off {o['vm']}/{o['dev']}:{'+'.join(o['off'])}")
    if g.get('netem'): n = g['netem']; bits.append(f"netem {n['port']} loss {n['loss_pct']}% delay {n['delay_ms']}ms")
    if g.get('nft_drop'): n = g['nft_drop']; bits.append(f"nft {n['family']} drop udp/{n['udp_dport']} x{n['datagrams']}")
    if g.get('idle_period_s'): bits.append(f"idle {g['idle_period_s']} s (neigh reach {g['neigh_base_reachable_ms']} ms)")
    if g.get('port_op'): bits.append(f"port op {g['port_op']}")
    fl = [s for s in g.get('steps', []) if s['t'] not in ('idle', 'op')]
    bits.append(f"{len(fl)} flows: " + ','.join(
        (s['t'] + ('6' if ':' in str(s.get('dst_ip', '')) else '') if s['t'] != 'iperf'
         else s['proto'] + ('6' if s.get('v') == 6 else '') + f":{s['bytes'] // 1024}K") for s in fl))
    return '; '.join(bits)


rows = []
tot_trace = tot_tar = tot_ev = 0
scen_dirs = sorted([p for p in glob.glob(os.path.join(d, '*')) if os.path.isfile(os.path.join(p, 'scenario.json'))],
                   key=lambda p: (order.get(os.path.basename(p), 999), p))
for p in scen_dirs:
    n = os.path.basename(p)
    sc = load(os.path.join(p, 'scenario.json')) or {}
    tb = dirbytes(os.path.join(p, 'trace'))
    tar = os.path.getsize(p + '.tar.gz') if os.path.exists(p + '.tar.gz') else 0
    ev = 'n/a'
    try:
        ev = int(open(os.path.join(p, 'counts.txt')).read().strip().splitlines()[-1].split()[0])
    except Exception:
        pass
    disc = (sc.get('lttng') or {}).get('discarded_events_reported_by_lttng', 'n/a')
    seed = (sc.get('generator') or {}).get('seed')
    run = ([r for r in runs if r['scenario'] == n] or [{}])[-1]  # a scenario re-recorded in a later boot: the last run
    tot_trace += tb; tot_tar += tar; tot_ev += ev if isinstance(ev, int) else 0
    rows.append(f"| {n} | {run.get('boot', '?')} | {seed if seed is not None else '-'} | {params(sc)} | {tb} | {tar} | {ev} | {disc} | {run.get('seconds', '?')} |")
fails = [r for r in runs if r['rc'] != 0 or not os.path.isfile(os.path.join(d, r['scenario'], 'scenario.json'))]
rerec = {}
for r in runs:
    rerec.setdefault(r['scenario'], []).append(r['boot'])
rerec = {k: v for k, v in rerec.items() if len(v) > 1}
out = ['# Generated LTTng virtual-network traces: summary', '',
       f'{len(rows)} scenarios with a trace; {len(runs)} scenario runs recorded in the boots\' gen-run-summary.jsonl.',
       f'Total trace bytes {tot_trace}, total .tar.gz bytes {tot_tar}, total events {tot_ev}.', '',
       '| scenario | boot | seed | parameters drawn | trace bytes | .tar.gz bytes | events | discarded | guest s |',
       '|---|---|---|---|---:|---:|---:|---:|---:|'] + rows + ['', '## Failures', '']
out += [f"* {r['scenario']} (boot {r['boot']}): rc={r['rc']}" + ('' if os.path.isfile(os.path.join(d, r['scenario'], 'scenario.json')) else ', no scenario.json') for r in fails] or ['none']
if rerec:
    out += ['', '## Re-recorded scenarios', ''] + [f'* {k}: recorded in boots {", ".join(v)}; the folder holds the last recording' for k, v in sorted(rerec.items())]
print('\n'.join(out))
