#!/usr/bin/env python3
"""QEMU-style self-announce after a live migration: 5 RARP frames (ethertype 0x8035, broadcast, sender and
target hardware address = the VM's MAC, protocol addresses 0), 60 bytes each, sent from IFACE with an AF_PACKET
socket. Timing as QEMU's announce timer (initial 50 ms, step 100 ms, 5 rounds): the first frame at once, the next
ones 50, 150, 250, 350 ms after the previous one. Prints one line per frame: index realtime_ns.
usage: announce.py IFACE MAC [ROUNDS] [NETNS TRIGGER_FIFO]
With NETNS and TRIGGER_FIFO, the script starts early (python's start-up is slow under emulation), waits until a line
is written to the fifo, then enters network namespace NETNS (/run/netns/NETNS, setns) and sends at once."""
import socket, sys, time
ifc, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
frame = (b"\xff" * 6 + mac + b"\x80\x35"            # Ethernet: broadcast, src MAC, ETH_P_RARP
         + b"\x00\x01\x08\x00\x06\x04\x00\x03"      # htype 1, ptype IPv4, hlen 6, plen 4, op 3 (reverse request)
         + mac + b"\x00" * 4 + mac + b"\x00" * 4)   # sha, spa 0, tha, tpa 0
frame += b"\x00" * (60 - len(frame))
if len(sys.argv) > 5:
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    with open(sys.argv[5]) as f:
        f.readline()
    fd = os.open(f"/run/netns/{sys.argv[4]}", os.O_RDONLY)
    if libc.setns(fd, 0x40000000) != 0:               # CLONE_NEWNET
        sys.exit(f"setns failed: errno {ctypes.get_errno()}")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind((ifc, 0))
initial, step = 0.050, 0.100
for i in range(rounds):
    s.send(frame); print(i + 1, time.time_ns(), flush=True)
    if i < rounds - 1:
        time.sleep(initial + i * step)
