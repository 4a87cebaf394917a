# Writes a small CTF 1.8 trace that exercises the text printer's edge cases (integer bases, enums, floats,
# escapes, character arrays, variants, clock-mapped fields, discarded events and packets).
# Usage: python3 make-edge-trace.py OUTPUT_DIR [CLOCK_OFFSET_SECONDS]
# expected-gmt.txt is what babeltrace2 2.0.4 prints for it with --clock-gmt.
import struct, sys, os
out = sys.argv[1]
offset_s = int(sys.argv[2]) if len(sys.argv) > 2 else 1600000000
os.makedirs(out, exist_ok=True)
meta = r'''/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
trace { major = 1; minor = 8; byte_order = le; uuid = "2a6422d0-6cee-11e0-8c08-cb07d7b3a564";
  packet.header := struct { uint32_t magic; uint8_t uuid[16]; uint32_t stream_id; }; };
env { hostname = "edgehost"; procname = "myproc"; vpid = 4242; domain = "ust"; };
clock { name = monotonic; uuid = "2a6422d0-6cee-11e0-8c08-cb07d7b3a564"; freq = 1000000000; offset_s = OFFSET_S; offset = 0; };
typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := clock64;
stream {
  id = 0;
  packet.context := struct { clock64 timestamp_begin; clock64 timestamp_end; uint64_t content_size; uint64_t packet_size; uint64_t events_discarded; uint64_t packet_seq_num; uint32_t cpu_id; };
  event.header := struct { uint32_t id; clock64 timestamp; };
};
event { id = 0; name = "ints"; stream_id = 0; fields := struct {
  integer { size = 8; align = 8; signed = true; base = 16; } s8hex;
  integer { size = 13; align = 1; signed = true; base = 16; } s13hex;
  integer { size = 3; align = 1; signed = false; base = 16; } pad3;
  integer { size = 64; align = 8; signed = true; base = 16; } s64hex;
  integer { size = 8; align = 8; signed = true; base = 8; } s8oct;
  integer { size = 8; align = 8; signed = false; base = 8; } u8oct;
  integer { size = 5; align = 1; signed = true; base = 2; } s5bin;
  integer { size = 3; align = 1; signed = false; base = 2; } u3bin;
  integer { size = 64; align = 8; signed = false; base = 10; } u64max;
  integer { size = 64; align = 8; signed = true; base = 10; } s64min;
  integer { size = 64; align = 8; signed = false; base = 16; } u64hex;
  integer { size = 64; align = 8; signed = false; base = 2; } u64bin;
  integer { size = 32; align = 8; signed = true; base = 8; } s32oct;
  integer { size = 64; align = 8; signed = true; base = 8; } s64oct;
}; };
event { id = 1; name = "enums"; stream_id = 0; fields := struct {
  enum : uint8_t { A = 0 ... 10, B = 5 ... 20, C = 7 } multi;
  enum : uint8_t { ONE = 1, TWO = 2 } unknown;
  enum : integer { size = 16; align = 8; signed = true; } { NEG = -5 ... -1, "q\"uote" = 0 } neg;
  enum : integer { size = 8; align = 8; signed = false; base = 16; } { X = 1 } hexenum;
}; };
event { id = 2; name = "floats"; stream_id = 0; fields := struct {
  floating_point { exp_dig = 8; mant_dig = 24; byte_order = le; align = 8; } f[12];
  floating_point { exp_dig = 11; mant_dig = 53; byte_order = le; align = 8; } d[14];
}; };
event { id = 3; name = "strings"; stream_id = 0; fields := struct {
  string s1;
  string s2;
  integer { size = 8; align = 8; signed = true; encoding = UTF8; } text[8];
  uint32_t len;
  integer { size = 8; align = 8; signed = false; encoding = ASCII; } seq[len];
  uint8_t bytes[3];
  integer { size = 8; align = 1; signed = false; encoding = UTF8; } unaligned[2];
  integer { size = 16; align = 8; signed = false; encoding = UTF8; } wide[2];
}; };
event { id = 4; name = "variants"; stream_id = 0; fields := struct {
  enum : uint8_t { a, b, c } tag;
  variant <tag> { uint32_t a; string b; struct { uint8_t x; uint8_t y; } c; } v;
  struct { uint8_t inner; } st;
  struct { } empty;
}; };
event { id = 5; name = "hidden"; stream_id = 0; fields := struct {
  clock64 ts;
  uint8_t visible;
  struct { clock64 only; } allhidden;
}; };
event { id = 6; name = "onlyclock"; stream_id = 0; fields := struct { clock64 ts; }; };
event { id = 7; name = "nofields"; stream_id = 0; };
'''.replace('OFFSET_S', str(offset_s))
open(os.path.join(out, 'metadata'), 'w').write(meta)

class Bits:
    def __init__(self): self.bits = []  # list of 0/1, LSB-first per byte (le)
    def align(self, a):
        while len(self.bits) % a: self.bits.append(0)
    def uint(self, v, size, align=8):
        self.align(align)
        v &= (1 << size) - 1
        for i in range(size): self.bits.append((v >> i) & 1)
    def raw(self, b):
        self.align(8)
        for byte in b: self.uint(byte, 8)
    def tobytes(self):
        self.align(8)
        return bytes(sum(self.bits[i*8+j] << j for j in range(8)) for i in range(len(self.bits)//8))

def event(b, eid, ts, body):
    b.uint(eid, 32); b.uint(ts, 64); body(b)

def ints(b):
    b.uint(-1, 8); b.uint(-1, 13, 1); b.uint(5, 3, 1); b.uint(-2, 64); b.uint(-1, 8); b.uint(8, 8)
    b.uint(-3, 5, 1); b.uint(5, 3, 1); b.uint(2**64-1, 64); b.uint(-2**63, 64); b.uint(0xABCDEF, 64); b.uint(5, 64)
    b.uint(-8, 32); b.uint(-1, 64)
def enums(b):
    b.uint(7, 8); b.uint(9, 8); b.uint(-3, 16); b.uint(1, 8)
def enums2(b):
    b.uint(15, 8); b.uint(1, 8); b.uint(0, 16); b.uint(3, 8)
fl = [0.1, 1e20, 1.5, -0.0, float('nan'), float('inf'), 1e-5, 123456789.0, 100000.0, 1e6, 3.0, -2.5e-10]
dl = [0.1, 1e20, 1.5, -0.0, float('nan'), float('-inf'), 1e-5, 123456789.0, 100000.0, 1e6, 0.30000000000000004, 1.0/3, 2.0**70, 5e-324]
def floats(b):
    for f in fl: b.raw(struct.pack('<f', f))
    for d in dl: b.raw(struct.pack('<d', d))
def strings(b):
    b.raw(b'tab\there nl\nq"s\'bs\\?x\x01\x1b\x7f\x07\x08\x0c\x0d\x0b\x00')
    b.raw('h\u00e9llo \u2603'.encode() + b'\x00')
    b.raw(b'ab\x00cd\x01\x00\x00')
    b.uint(5, 32); b.raw(b'xyz\x00w')
    b.raw(b'\x41\x42\x43')
    b.raw(b'hi'); b.uint(0x41, 16); b.uint(0x42, 16)
def strings2(b):
    b.raw(b'\x00'); b.raw(b'\x00'); b.raw(b'12345678'); b.uint(0, 32); b.raw(b'\x01\x02\x03'); b.raw(b'\x00\x00'); b.uint(0, 16); b.uint(0, 16)
def variants_a(b):
    b.uint(0, 8); b.uint(77, 32); b.uint(1, 8)
def variants_b(b):
    b.uint(1, 8); b.raw(b'str\x00'); b.uint(2, 8)
def variants_c(b):
    b.uint(2, 8); b.uint(3, 8); b.uint(4, 8); b.uint(5, 8)
def hidden(b):
    b.uint(12345, 64); b.uint(9, 8); b.uint(777, 64)
def onlyclock(b):
    b.uint(1, 64)
def nofields(b): pass

evs = [(0, ints), (1, enums), (1, enums2), (2, floats), (3, strings), (3, strings2), (4, variants_a), (4, variants_b), (4, variants_c), (5, hidden), (6, onlyclock), (7, nofields)]

def packet(seq, discarded, t0, events, cpu):
    body = Bits()
    for i, (eid, fn) in enumerate(events):
        event(body, eid, t0 + i * 1000, fn)
    ev_bytes = body.tobytes()
    hdr = Bits()
    hdr.uint(0xC1FC1FC1, 32); hdr.raw(bytes.fromhex('2a6422d06cee11e08c08cb07d7b3a564')); hdr.uint(0, 32)
    hdr_len = len(hdr.tobytes()) + 8*7 - 4  # context: 6 u64 + u32 cpu
    total = hdr_len + len(ev_bytes)
    # events start right after context; context ends at hdr_len, events aligned on 8 by their header (u32 id align 8)
    t_end = t0 + len(events) * 1000
    hdr.uint(t0, 64); hdr.uint(t_end, 64); hdr.uint(total * 8, 64); hdr.uint(total * 8, 64); hdr.uint(discarded, 64); hdr.uint(seq, 64); hdr.uint(cpu, 32)
    return hdr.tobytes() + ev_bytes

data = packet(0, 0, 1000, evs, 3) + packet(1, 2, 100000, evs[:2], 3) + packet(3, 5, 200000, evs[:1], 3)
open(os.path.join(out, 'stream_0'), 'wb').write(data)
