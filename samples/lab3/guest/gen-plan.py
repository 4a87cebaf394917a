#!/usr/bin/env python3
"""Scenario generator: draws randomized virtual-network scenarios from a seed and writes, per scenario,
a plan (bash calling the gen-lib.sh helpers) and its drawn parameters (JSON).

usage: gen-plan.py SEED START COUNT OUTDIR
Scenario i uses its own RNG, random.Random("SEED:i"), so any scenario can be redrawn alone (START=i COUNT=1)
and gives the same parameters whatever else runs in the same boot.
Writes OUTDIR/<name>.sh, OUTDIR/<name>.json and prints one name per line (run order)."""
import json, os, random, sys

VIDS = [10, 20, 30, 40]
BRIDGE = {
    'virbr0': {'mac': '52:54:00:ff:00:01', 'ip': '192.168.122.1/24', 'ip6': 'fd00:122::1/64'},
    'virbr1': {'mac': '52:54:00:ff:01:01', 'ip': '192.168.100.1/24', 'ip6': 'fd00:100::1/64'},
}


def q(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def draw(seed, idx):
    r = random.Random(f"{seed}:{idx}")
    P = {'seed': seed, 'index': idx, 'rng': f'random.Random("{seed}:{idx}") (Python 3 Mersenne Twister)'}
    nbr = 2 if r.random() < 0.4 else 1
    linked = nbr == 2 and r.random() < 0.6
    vf_any = r.random() < 0.45
    pool = sorted(r.sample(VIDS, 2))
    brs = []
    for b in range(nbr):
        name = f'virbr{b}'
        vf = vf_any if (linked or b == 0) else (r.random() < 0.45)
        br = {'name': name, 'vlan_filtering': vf, 'has_ip': r.random() < 0.7, 'ipv6': False}
        if vf:
            # bridge device (self) VLAN membership: default (vid 1 pvid), or pvid moved to a VM VLAN; others maybe tagged
            br['self_pvid'] = pool[0] if r.random() < 0.4 else 1
            br['self_tagged'] = [v for v in pool if v != br['self_pvid'] and r.random() < 0.3]
            br['self_not_member'] = [v for v in pool if v != br['self_pvid'] and v not in br['self_tagged']]
        brs.append(br)
    P['bridges'] = brs
    P['bridges_linked_by_veth'] = linked
    P['vlan_pool'] = pool if vf_any or any(b['vlan_filtering'] for b in brs) else []
    ipv6 = r.random() < 0.3
    P['ipv6'] = ipv6
    nvm = r.randint(3, 5) if nbr == 1 else r.randint(4, 6)
    vms = []
    for i in range(1, nvm + 1):
        b = brs[0] if nbr == 1 else brs[(i - 1) % 2] if i <= 4 else r.choice(brs)
        sub = '192.168.100' if (b['name'] == 'virbr1' and not linked) else '192.168.122'
        vm = {'ns': f'vm{i}', 'bridge': b['name'], 'port': f'vnet{i - 1}', 'mac': f'52:54:00:00:00:{i:02x}',
              'ip': f'{sub}.{10 + i}', 'ip6': None, 'vid': None, 'vmode': None, 'emtu': None, 'pmtu': None, 'idle': False}
        if b['vlan_filtering']:
            vm['vid'] = r.choice(pool)
            vm['vmode'] = 'tagged' if r.random() < 0.2 else 'access'
        vms.append(vm)
    # idle VMs (no flows); keep >= 2 active VMs; sometimes one idle VM
    nidle = r.choice([0, 0, 1, 1, 2]) if nvm >= 4 else r.choice([0, 1])
    for vm in r.sample(vms, nidle):
        vm['idle'] = True
    active = [v for v in vms if not v['idle']]
    if ipv6:
        for v in active:
            sub6 = 'fd00:100' if v['ip'].startswith('192.168.100') else 'fd00:122'
            v['ip6'] = f'{sub6}::{10 + int(v["ns"][2:])}'
        for b in brs:
            b['ipv6'] = b['has_ip'] and r.random() < 0.5
    for b in brs:
        b['ip'] = BRIDGE[b['name']]['ip'] if b['has_ip'] else None
        b['ip6'] = BRIDGE[b['name']]['ip6'] if b['ipv6'] else None

    def seg(v):
        return 'L' if linked else v['bridge']

    def reach(a, b):
        return seg(a) == seg(b) and a['vid'] == b['vid']

    def pair(pref=0.85, pool_vms=None):
        pv = pool_vms or active
        good = [(a, b) for a in pv for b in pv if a is not b and reach(a, b)]
        if good and r.random() < pref:
            return r.choice(good), True
        a, b = r.sample(pv, 2)
        return (a, b), reach(a, b)

    # MTU: segment MTU (1500 or 9000) with one smaller "victim" VM; traffic larger than the victim side
    mtu = None
    if r.random() < 0.25:
        segm = r.choice([1500, 9000])
        victim = r.choice(active)
        vm_mtu = 1400 if segm == 1500 else r.choice([1400, 1500])
        where = r.choice(['eth0', 'eth0+port'])
        mtu = {'segment_mtu': segm, 'victim': victim['ns'], 'victim_eth0_mtu': vm_mtu, 'victim_side': where}
        for v in vms:
            if v is victim:
                v['emtu'] = vm_mtu
                v['pmtu'] = vm_mtu if where == 'eth0+port' else (segm if segm != 1500 else None)
            elif segm != 1500:
                v['emtu'] = v['pmtu'] = segm
    P['mtu'] = mtu
    # offloads
    offl = []
    if r.random() < 0.3:
        for v in r.sample(active, min(len(active), r.choice([1, 2]))):
            feats = [f for f in ['tso', 'gso', 'gro', 'tx'] if r.random() < 0.6] or ['tso']
            offl.append({'vm': v['ns'], 'dev': r.choice(['eth0', 'port', 'both']), 'off': feats})
    P['offloads_off'] = offl
    # netem on one active VM's port (egress towards the VM); the VM is made the destination of a flow below
    netem = None
    if r.random() < 0.3:
        v = r.choice(active)
        loss = r.choice([0, 1, 3, 5, 10]); delay = r.choice([0, 5, 20]) if loss else r.choice([5, 20, 40])
        netem = {'port': v['port'], 'vm': v['ns'], 'loss_pct': loss, 'delay_ms': delay}
    P['netem'] = netem
    # nft: drop one UDP destination port (bridge forward chain in the root ns, or inet input chain in the receiving VM)
    nft = None
    if r.random() < 0.3:
        (a, b), ok = pair(1.0)
        nft = {'family': r.choice(['bridge', 'bridge', 'vm-inet']), 'udp_dport': r.randint(9000, 9999), 'src': a['ns'], 'dst': b['ns'],
               'datagrams': r.randint(20, 60)}
    P['nft_drop'] = nft
    fastn = r.random() < 0.35
    P['idle_period_s'] = r.choice([5, 6, 7, 8]) if fastn or r.random() < 0.2 else None
    P['neigh_base_reachable_ms'] = 1000 if fastn else 30000
    # port operation during pings
    ops = ['detach', 'delete', 'add'] + (['move'] * 4 if nbr == 2 and linked else [])
    P['port_op'] = r.choice(ops) if r.random() < (0.6 if linked else 0.4) else None

    # ---------- flows ----------
    vmap = {v['ns']: v for v in vms}
    steps = []
    fid = [0]

    def nid():
        fid[0] += 1
        return f'F{fid[0]}'
    nping = r.randint(1, 3)
    for _ in range(nping):
        (a, b), ok = pair()
        v6 = ipv6 and r.random() < 0.5
        steps.append({'t': 'ping', 'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'dst_ip': b['ip6'] if v6 else b['ip'],
                      'count': r.randint(5, 15), 'iv': r.choice(['0.1', '0.1', '0.2']), 'size': 56, 'expect_reply': ok})
    # ping the bridge's own address
    if r.random() < 0.3:
        cands = [(v, b) for v in active for b in brs if b['has_ip'] and v['bridge'] == b['name']
                 and v['ip'].rsplit('.', 1)[0] == b['ip'].rsplit('.', 1)[0]]
        if cands:
            v, b = r.choice(cands)
            steps.append({'t': 'ping', 'id': nid(), 'src': v['ns'], 'dst': b['name'], 'dst_ip': b['ip'].split('/')[0],
                          'count': r.randint(3, 8), 'iv': '0.2', 'size': 56, 'expect_reply': None})
    offl_vms = {o['vm'] for o in offl}
    lossy = netem is not None and netem['loss_pct'] > 0
    if r.random() < 0.7:
        (a, b), ok = pair(0.95)
        mib = r.randint(1, 4)
        if a['ns'] in offl_vms or b['ns'] in offl_vms or lossy or (mtu and mtu['segment_mtu'] == 9000):
            mib = 1
        v6 = ipv6 and r.random() < 0.4
        steps.append({'t': 'iperf', 'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'proto': 'tcp', 'bytes': mib * 1048576,
                      'v': 6 if v6 else 4, 'args': '', 'expect_reply': ok})
    if r.random() < 0.6:
        (a, b), ok = pair(0.95)
        n = r.randint(200, 600)
        v6 = ipv6 and r.random() < 0.3
        maxlen = 1400 - (48 if v6 else 28)
        if mtu:
            maxlen = min(maxlen, mtu['victim_eth0_mtu'] - 48)
        ln = r.randint(200, maxlen)
        steps.append({'t': 'iperf', 'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'proto': 'udp', 'bytes': n * ln,
                      'v': 6 if v6 else 4, 'args': f'-b {r.choice([2, 4, 8])}M -l {ln}', 'datagrams': n, 'expect_reply': ok})
    if nft:
        steps.append({'t': 'udp', 'id': nid(), 'src': nft['src'], 'dst': nft['dst'],
                      'dst_ip': next(v['ip'] for v in vms if v['ns'] == nft['dst']), 'port': nft['udp_dport'],
                      'count': nft['datagrams'], 'len': r.choice([64, 100, 512])})
    if mtu:
        victim = next(v for v in vms if v['ns'] == mtu['victim'])
        others = [v for v in active if v is not victim and reach(v, victim)] or [v for v in active if v is not victim]
        s = r.choice(others)
        segm = mtu['segment_mtu']
        size = mtu['victim_eth0_mtu'] + 40 if segm == 1500 else r.choice([3000, 4000, 8000])
        steps.append({'t': 'ping', 'id': nid(), 'src': s['ns'], 'dst': victim['ns'], 'dst_ip': victim['ip'], 'count': 4, 'iv': '0.2',
                      'size': size, 'expect_reply': False, 'note': 'larger than the victim side MTU'})
        if r.random() < 0.6:
            steps.append({'t': 'ping', 'id': nid(), 'src': victim['ns'], 'dst': s['ns'], 'dst_ip': s['ip'], 'count': 4, 'iv': '0.2',
                          'size': size, 'expect_reply': None, 'note': 'victim sends more than its MTU: IPv4 fragments'})
    if netem and not any(s.get('dst') == netem['vm'] for s in steps):
        peers = [x for x in active if x['ns'] != netem['vm'] and reach(x, vmap[netem['vm']])] or [x for x in active if x['ns'] != netem['vm']]
        a = r.choice(peers); b = vmap[netem['vm']]
        steps.append({'t': 'ping', 'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'dst_ip': b['ip'], 'count': 20, 'iv': '0.1',
                      'size': 56, 'expect_reply': reach(a, b), 'note': 'through the netem port'})
    if r.random() < 0.25:
        (a, b), ok = pair()
        steps.append({'t': 'arping', 'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'dst_ip': b['ip'], 'count': r.randint(2, 4)})
    r.shuffle(steps)
    if P['idle_period_s']:
        # idle period after a first flow (neighbour entries then age / get probed)
        pos = r.randint(1, len(steps)) if steps else 0
        steps.insert(pos, {'t': 'idle', 'secs': P['idle_period_s']})
        if pos == len(steps) - 1:
            (a, b), ok = pair()
            steps.append({'t': 'ping', 'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'dst_ip': b['ip'], 'count': 3, 'iv': '0.2',
                          'size': 56, 'expect_reply': ok, 'note': 'after the idle period'})
    if P['port_op']:
        op = P['port_op']
        opd = {'t': 'op', 'op': op}
        if op == 'move':
            v = r.choice([x for x in active])
            opd.update(vm=v['ns'], to=('virbr1' if v['bridge'] == 'virbr0' else 'virbr0'))
        elif op in ('detach', 'delete'):
            v = r.choice(active)
            opd.update(vm=v['ns'])
            opd['to'] = v['bridge'] if op == 'delete' or r.random() < 0.7 else None  # re-attach/re-plug target
            if op == 'delete':
                opd['new_port'] = f'vnet{nvm}'
        else:  # add a VM during the trace, in the LAN/VLAN of an active VM
            pr0 = r.choice(active)
            b = r.choice(brs) if linked else next(x for x in brs if x['name'] == pr0['bridge'])
            n = nvm + 1
            sub = '192.168.100' if (b['name'] == 'virbr1' and not linked) else '192.168.122'
            nv = {'ns': f'vm{n}', 'bridge': b['name'], 'port': f'vnet{n - 1}', 'mac': f'52:54:00:00:00:{n:02x}', 'ip': f'{sub}.{10 + n}',
                  'ip6': None, 'vid': (pr0['vid'] if b['vlan_filtering'] else None), 'vmode': 'access' if b['vlan_filtering'] else None,
                  'emtu': None, 'pmtu': None, 'idle': False, 'late': True}
            opd['new_vm'] = nv
            v = nv
        # background pings around the operation: the VM concerned <-> a peer, and one other pair
        peers = [x for x in active if x['ns'] != v['ns']]
        pr = pr0 if op == 'add' else r.choice([x for x in peers if reach(x, v)] or peers)
        bgs = [{'id': nid(), 'src': v['ns'], 'dst': pr['ns'], 'dst_ip': pr['ip'], 'count': r.randint(30, 50), 'iv': '0.1'}]
        if op == 'add':
            bgs[0].update(src=pr['ns'], dst=v['ns'], dst_ip=v['ip'])
        others = [x for x in active if x['ns'] not in (v['ns'], pr['ns'])]
        if len(others) >= 2 and r.random() < 0.7:
            a, b = r.sample(others, 2)
            bgs.append({'id': nid(), 'src': a['ns'], 'dst': b['ns'], 'dst_ip': b['ip'], 'count': r.randint(30, 50), 'iv': '0.1'})
        opd['bg_pings'] = bgs
        opd['after_s'] = r.choice([1.5, 2, 2.5])
        steps.insert(r.randint(0, len(steps)), opd)
    P['vms'] = vms
    P['steps'] = steps
    tags = [f'{nbr}br' + ('L' if linked else '')]
    if any(b['vlan_filtering'] for b in brs): tags.append('vlan')
    if ipv6: tags.append('v6')
    if mtu: tags.append(f'mtu{mtu["segment_mtu"]}')
    if offl: tags.append('offl')
    if netem: tags.append('netem')
    if nft: tags.append('nft')
    if P['idle_period_s']: tags.append('idle')
    if nidle: tags.append(f'{nidle}quiet')
    if P['port_op']: tags.append(P['port_op'])
    P['name'] = f'g{idx:02d}-' + '-'.join(tags)
    return P


def plan_sh(P, pjson):
    L = [f'# generated by gen-plan.py seed {P["seed"]} index {P["index"]}', f'g_begin {P["name"]}']
    brs = P['bridges']; pool = P['vlan_pool']; mtu = P['mtu']
    for b in brs:
        bm = BRIDGE[b['name']]
        L.append(f'g_bridge {b["name"]} {bm["mac"]} {b["ip"] or "-"} {int(b["vlan_filtering"])}' + (f' {mtu["segment_mtu"]}' if mtu and mtu['segment_mtu'] != 1500 else ''))
        if b['ip6']:
            L.append(f'g_bridge_ip6 {b["name"]} {b["ip6"]}')
        if b['vlan_filtering']:
            if b['self_pvid'] != 1:
                L.append(f'g_self_vlan {b["name"]} vid {b["self_pvid"]} pvid untagged')
                L.append(f'g_self_vlan_del {b["name"]} 1')
            for v in b['self_tagged']:
                L.append(f'g_self_vlan {b["name"]} vid {v}')
    if P['bridges_linked_by_veth']:
        L.append('g_patch virbr0 virbr1 ' + (' '.join(map(str, pool)) if brs[0]['vlan_filtering'] else ''))
        if mtu and mtu['segment_mtu'] != 1500:
            L.append(f'ip link set vpatch0 mtu {mtu["segment_mtu"]}; ip link set vpatch1 mtu {mtu["segment_mtu"]}')
    fastn = P['neigh_base_reachable_ms'] == 1000

    def vmargs(v):
        a = [v['ns'], v['bridge'], v['port'], v['mac'], v['ip']]
        if v['vid']: a += [f'vid={v["vid"]}', f'vmode={v["vmode"]}']
        if v['ip6']: a.append(f'ip6={v["ip6"]}')
        if v['emtu']: a.append(f'emtu={v["emtu"]}')
        if v['pmtu']: a.append(f'pmtu={v["pmtu"]}')
        if v['idle']: a.append('idle=1')
        if fastn and not v['idle']: a.append('fastneigh=1')
        return ' '.join(a)
    for v in P['vms']:
        L.append('g_vm ' + vmargs(v))
    for o in P['offloads_off']:
        port = next(v['port'] for v in P['vms'] if v['ns'] == o['vm'])
        feats = ' '.join(f'{f} off' for f in o['off'])
        if o['dev'] in ('eth0', 'both'): L.append(f'g_offload {o["vm"]} eth0 {feats}')
        if o['dev'] in ('port', 'both'): L.append(f'g_offload root {port} {feats}')
    if P['netem']:
        n = P['netem']; a = []
        if n['delay_ms']: a.append(f'delay {n["delay_ms"]}ms')
        if n['loss_pct']: a.append(f'loss {n["loss_pct"]}%')
        L.append(f'g_netem {n["port"]} {" ".join(a)}')
    if P['nft_drop']:
        n = P['nft_drop']
        L.append(f'g_nft_bridge_drop_udp {n["udp_dport"]}' if n['family'] == 'bridge' else f'g_nft_vm_drop_udp {n["dst"]} {n["udp_dport"]}')
    L += ['g_trace_setup', 'g_start', 'sleep 0.5']
    port_no = [5201]

    def nport():
        port_no[0] += 1
        return port_no[0]
    for s in P['steps']:
        t = s['t']
        if t == 'ping':
            L.append(f'g_ping {s["id"]} {s["src"]} {s["dst_ip"]} {s["count"]} {s["iv"]} {s["size"]}')
        elif t == 'iperf':
            L.append(f'g_iperf {s["id"]} {s["src"]} {s["dst"]} {nport()} {s["proto"]} {s["bytes"]} {s["v"]} {s["args"]}'.rstrip())
        elif t == 'udp':
            L.append(f'g_udp_burst {s["id"]} {s["src"]} {s["dst_ip"]} {s["port"]} {s["count"]} {s["len"]}')
        elif t == 'arping':
            L.append(f'g_arping {s["id"]} {s["src"]} {s["dst_ip"]} {s["count"]}')
        elif t == 'idle':
            L.append(f'g_idle {s["secs"]}')
        elif t == 'op':
            op = s['op']
            if op == 'add':
                nv = s['new_vm']
                L.append('g_add_vm ' + vmargs(nv))
                L.append('sleep 0.3')
            for b in s['bg_pings']:
                L.append(f'g_bg g_ping {b["id"]} {b["src"]} {b["dst_ip"]} {b["count"]} {b["iv"]} 56')
            L.append(f'sleep {s["after_s"]}')
            if op == 'move':
                L.append(f'g_move {s["vm"]} {s["to"]}')
            elif op == 'detach':
                L.append(f'g_detach {s["vm"]}')
                if s['to']:
                    L += ['sleep 1.5', f'g_reattach {s["vm"]} {s["to"]}']
            elif op == 'delete':
                L += [f'g_delete {s["vm"]}', 'sleep 1', f'g_replug {s["vm"]} {s["to"]} {s["new_port"]}']
            L.append('g_wait_bg')
        L.append('sleep 0.3')
    L += ['sleep 1', 'g_stop', f'g_finish {pjson} {q(describe(P))}', 'g_teardown', 'log done']
    return '\n'.join(L) + '\n'


def describe(P):
    b = ', '.join(f'{x["name"]}(vlan_filtering={int(x["vlan_filtering"])}, ip={x["ip"]}' +
                  (f', self pvid {x["self_pvid"]}, self not member of {x["self_not_member"]}' if x['vlan_filtering'] else '') + ')' for x in P['bridges'])
    v = ', '.join(f'{x["ns"]}@{x["bridge"]}/{x["port"]}' + (f' vid {x["vid"]} {x["vmode"]}' if x['vid'] else '') + (' idle' if x['idle'] else '') for x in P['vms'])
    s = f'generated scenario (seed {P["seed"]}, index {P["index"]}): bridges {b}'
    if P['bridges_linked_by_veth']: s += ' linked by veth vpatch0/vpatch1'
    s += f'; VMs {v}; ipv6={P["ipv6"]}'
    for k in ('mtu', 'offloads_off', 'netem', 'nft_drop', 'idle_period_s', 'port_op'):
        if P[k]: s += f'; {k}={json.dumps(P[k], separators=(",", ":"))}'
    return s


if __name__ == '__main__':
    seed, start, count, outdir = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    os.makedirs(outdir, exist_ok=True)
    for i in range(start, start + count):
        P = draw(seed, i)
        pj = os.path.join(outdir, P['name'] + '.json')
        json.dump(P, open(pj, 'w'), indent=1)
        open(os.path.join(outdir, P['name'] + '.sh'), 'w').write(plan_sh(P, pj))
        print(P['name'])
