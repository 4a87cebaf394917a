#!/usr/bin/env python3
"""Makes a set of N hosts' kernel traces from a few real ones, for measuring how analyses scale with hosts.

Host i is a copy of SOURCE[i mod len(SOURCES)] in DEST/host-NNN/kernel, given a host name and a clock uuid of
its own, so that vnetscope groups the copies as N hosts (it groups traces by host name and clock uuid). With
--copies K, each copy is first continued in time to K times the source (bench/scripts/continue-trace.py), so that
every host carries seconds of work instead of a fraction of one.

The metadata is rewritten in place, each value by one of the same length: in a packetized metadata file the
text sits in packets whose sizes are in their headers, so a longer or shorter value would need them rebuilt.
Only the `hostname` of the `env` block and the `uuid` of the `clock` blocks change; the trace uuid, which every
stream packet repeats in its header, stays.

usage: make-host-set.py DEST N SOURCE_TRACE_DIR... [--copies K] [--force]
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid

HOSTNAME = re.compile(rb'(\bhostname\s*=\s*")([^"]*)(")')
CLOCK_BLOCK = re.compile(rb'\bclock\s*\{[^}]*\}', re.S)
UUID_VALUE = re.compile(rb'(\buuid\s*=\s*")([0-9a-fA-F-]{36})(")')
NAME_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'


def host_name(index, length):
    """A name of exactly `length` characters that differs for every index: "h" then the index in base 36."""
    digits = ''
    value = index
    while True:
        digits = NAME_DIGITS[value % 36] + digits
        value //= 36
        if value == 0:
            break
    if len(digits) + 1 > length:
        sys.exit(f'a host name of {length} characters cannot number host {index}: use sources with longer names')
    return ('h' + digits.rjust(length - 1, '0')).encode()


def clock_uuid(index, original):
    """A uuid of its own for each host, derived from the original and the index (stable from run to run)."""
    digest = hashlib.sha256(original + b'/' + str(index).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16])).encode()


def rewrite_metadata(path, index):
    with open(path, 'rb') as file:
        data = file.read()
    names = list(HOSTNAME.finditer(data))
    if not names:
        sys.exit(f'{path}: no hostname in the metadata')
    patched = bytearray(data)
    for match in names:
        patched[match.start(2):match.end(2)] = host_name(index, len(match.group(2)))
    clocks = 0
    for block in CLOCK_BLOCK.finditer(data):
        for value in UUID_VALUE.finditer(data, block.start(), block.end()):
            patched[value.start(2):value.end(2)] = clock_uuid(index, value.group(2))
            clocks += 1
    if clocks == 0:
        sys.exit(f'{path}: no clock uuid in the metadata')
    assert len(patched) == len(data)
    with open(path, 'wb') as file:
        file.write(patched)


def main():
    parser = argparse.ArgumentParser(description='N hosts\' traces from a few real ones')
    parser.add_argument('dest')
    parser.add_argument('hosts', type=int)
    parser.add_argument('sources', nargs='+')
    parser.add_argument('--copies', type=int, default=1, help='continue each source in time to K copies')
    parser.add_argument('--force', action='store_true', help='replace DEST when it exists')
    args = parser.parse_args()
    for source in args.sources:
        if not os.path.isfile(os.path.join(source, 'metadata')):
            sys.exit(f'{source}: not a trace directory (no metadata file)')
    if os.path.exists(args.dest):
        if not args.force:
            sys.exit(f'{args.dest} exists (--force replaces it)')
        shutil.rmtree(args.dest)
    os.makedirs(args.dest)
    continued = {}
    if args.copies > 1:
        # each source continued once, then copied per host: the continuation is the costly part
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'continue-trace.py')
        for number, source in enumerate(dict.fromkeys(args.sources)):
            target = os.path.join(args.dest, f'.continued-{number}')
            done = subprocess.run([sys.executable, script, source, target, '--copies', str(args.copies)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if done.returncode != 0:
                reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else 'no reason given'
                sys.exit(f'{source}: cannot be continued in time ({reason}); leave it out, or use --copies 1')
            continued[source] = target
    for index in range(args.hosts):
        source = args.sources[index % len(args.sources)]
        target = os.path.join(args.dest, f'host-{index:03d}', 'kernel')
        shutil.copytree(continued.get(source, source), target)
        rewrite_metadata(os.path.join(target, 'metadata'), index)
    for target in continued.values():
        shutil.rmtree(target)
    print(f'{args.hosts} hosts under {args.dest}, from {len(set(args.sources))} traces'
          + (f' continued to {args.copies} copies' if args.copies > 1 else ''))


if __name__ == '__main__':
    main()
