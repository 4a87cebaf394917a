#!/usr/bin/env python3
"""Continues an LTTng kernel trace (CTF 1.8) in time: a big real-data trace for benchmarks.

The source's stream files are replayed again and again, one after the other in time, in the same streams (same
stream files, stream ids, instance ids and metadata), until the stream files reach --size (a smaller size cuts
the trace: whole packets only) or for exactly --copies copies. Copy k:
  - shifts every 64-bit clock value (packet timestamp_begin/end, extended event-header timestamps) by k * D, D
    being the source's duration rounded up to a multiple of 2^W, W the widest clock field of fewer than 64 bits
    (the compact event-header timestamps: 27 bits with event_header_compact, 32 with event_header_large), so
    that the compact timestamps stay valid unchanged;
  - moves every non-zero 64-bit `skbaddr`/`_skbaddr` by k * 2^44 (modulo 2^64), so that copies share no socket
    buffer: an skb's addresses in one copy span far less than 2^44 bytes (16 TiB), and k * 2^44 differs for
    every k below 2^20; NULL stays NULL;
  - leaves out the statedump events (copy 0 keeps them: a session has one statedump, at its start); they share
    their packets with ordinary events, so those packets are kept, rewritten without them (content_size
    shrinks, packet_size does not);
  - numbers packet_seq_num on from the previous copy's last packet, and adds k times the stream's final
    events_discarded to events_discarded (a cumulative count), so that readers see neither lost packets nor
    lost events that the source did not have.
Index files (index/*.idx) are written to match when the source has them.

D and the statedump handling need every event of the source: the event walk (TSDL layout of header, contexts and
payload) is done once, on the source, and yields per packet the byte offsets of the fields to patch; each copy
is then the source's bytes with those offsets patched, which is what makes gigabytes cheap. One process per
stream file (up to the processors available).

usage: continue-trace.py SOURCE_TRACE_DIR DEST_DIR (--size SIZE | --copies N) [--force]
  SIZE: bytes of stream files, with an optional binary suffix K, M, G, T (5G = 5 * 2^30)
"""
import argparse
import array
import multiprocessing
import os
import re
import struct
import sys
import time

METADATA_MAGIC = 0x75D11D57
PACKET_MAGIC = 0xC1FC1FC1
INDEX_MAGIC = 0xC1F1DCC1
SKB_FIELD_NAMES = ("skbaddr", "_skbaddr")
SKB_STEP = 1 << 44
MASK64 = (1 << 64) - 1


class MetadataError(Exception):
    pass


# --------------------------------------------------------------------------------------------------------------
# TSDL types

class Int:
    __slots__ = ("size", "align", "signed", "le", "clock")

    def __init__(self, size, align, signed, le, clock):
        self.size, self.align, self.signed, self.le, self.clock = size, align, signed, le, clock


class Enum:
    __slots__ = ("container", "mappings")

    def __init__(self, container, mappings):
        self.container, self.mappings = container, mappings  # mappings: [(label, low, high)]


class Float:
    __slots__ = ("size", "align")

    def __init__(self, size, align):
        self.size, self.align = size, align


class String:
    __slots__ = ()


class Struct:
    __slots__ = ("fields", "min_align")

    def __init__(self, fields, min_align):
        self.fields, self.min_align = fields, min_align


class Variant:
    __slots__ = ("tag", "options")

    def __init__(self, tag, options):
        self.tag, self.options = tag, options


class Array:
    __slots__ = ("elem", "length")

    def __init__(self, elem, length):
        self.elem, self.length = elem, length


class Sequence:
    __slots__ = ("elem", "length")

    def __init__(self, elem, length):
        self.elem, self.length = elem, length


def alignment(t):
    if isinstance(t, Int):
        return t.align
    if isinstance(t, Enum):
        return t.container.align
    if isinstance(t, Float):
        return t.align
    if isinstance(t, String):
        return 8
    if isinstance(t, Struct):
        return max([t.min_align] + [alignment(f) for _, f in t.fields])
    if isinstance(t, (Array, Sequence)):
        return alignment(t.elem)
    return 1  # a variant takes its selected option's alignment


def max_alignment(t):
    """The largest alignment anywhere inside t: removing a multiple of it keeps every later field aligned."""
    if isinstance(t, Struct):
        return max([alignment(t)] + [max_alignment(f) for _, f in t.fields])
    if isinstance(t, Variant):
        return max([1] + [max_alignment(o) for o in t.options.values()])
    if isinstance(t, (Array, Sequence)):
        return max_alignment(t.elem)
    return alignment(t)


def clock_widths(t, out):
    if isinstance(t, Int):
        if t.clock:
            out.add(t.size)
    elif isinstance(t, Enum):
        clock_widths(t.container, out)
    elif isinstance(t, Struct):
        for _, f in t.fields:
            clock_widths(f, out)
    elif isinstance(t, Variant):
        for o in t.options.values():
            clock_widths(o, out)
    elif isinstance(t, (Array, Sequence)):
        clock_widths(t.elem, out)


# --------------------------------------------------------------------------------------------------------------
# TSDL text

def metadata_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) >= 4 and struct.unpack_from("<I", data)[0] in (METADATA_MAGIC, 0x571DD175):
        order = "<" if struct.unpack_from("<I", data)[0] == METADATA_MAGIC else ">"
        parts = []
        offset = 0
        # packet header: magic, uuid[16], checksum, content_size, packet_size (bits), then 5 one-byte fields
        while offset + 37 <= len(data):
            magic, = struct.unpack_from(order + "I", data, offset)
            if magic != METADATA_MAGIC:
                raise MetadataError("bad metadata packet magic at byte %d" % offset)
            content_bits, packet_bits = struct.unpack_from(order + "II", data, offset + 24)
            if packet_bits == 0 or content_bits < 37 * 8:
                raise MetadataError("bad metadata packet sizes at byte %d" % offset)
            parts.append(data[offset + 37:offset + content_bits // 8])
            offset += packet_bits // 8
        data = b"".join(parts)
    return data.decode("utf-8", "replace")


TOKEN = re.compile(r"""
    (?P<skip>\s+|/\*.*?\*/|//[^\n]*)
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<num>[-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>:=|\.\.\.|->|[{}()\[\];,=<>:.*+-])
""", re.S | re.X)


def tokenize(text):
    tokens = []
    pos = 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise MetadataError("cannot read metadata near %r" % text[pos:pos + 40])
        pos = m.end()
        if m.lastgroup != "skip":
            tokens.append((m.lastgroup, m.group()))
    tokens.append(("end", ""))
    return tokens


def parse_number(text):
    text = text.rstrip("uUlL")
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("+-")
    if text.lower().startswith("0x"):
        return sign * int(text, 16)
    if len(text) > 1 and text.startswith("0"):
        return sign * int(text, 8)
    return sign * int(text)


class Metadata:
    """What a walk needs from the TSDL: the trace's packet header, and per stream class its scopes and events."""

    def __init__(self, text):
        self.tokens = tokenize(text)
        self.pos = 0
        self.aliases = {}
        self.named = {}  # "struct NAME", "enum NAME", "variant NAME"
        self.trace = {}
        self.streams = {}  # stream id -> dict of its assignments and scopes
        self.events = []  # dicts: name, id, stream_id, context, fields
        self.byte_order_le = None
        self._parse_top()
        if self.byte_order_le is None:
            raise MetadataError("no byte_order in the trace block")
        for t in self._all_types():
            self._resolve_native(t, set())

    # -- token helpers
    def _peek(self, ahead=0):
        return self.tokens[self.pos + ahead]

    def _next(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def _expect(self, text):
        kind, got = self._next()
        if got != text:
            raise MetadataError("metadata: expected %r, got %r (token %d)" % (text, got, self.pos))

    def _accept(self, text):
        if self._peek()[1] == text and self._peek()[0] != "str":
            self.pos += 1
            return True
        return False

    def _value_tokens(self):
        """The tokens of a value up to ';' (a number, identifier, string, dotted path)."""
        out = []
        while self._peek()[1] != ";":
            out.append(self._next())
        self._expect(";")
        return out

    # -- top level
    def _parse_top(self):
        while self._peek()[0] != "end":
            kind, word = self._peek()
            if word == ";":
                self.pos += 1
            elif word == "typealias":
                self._typealias()
            elif word == "typedef":
                self._typedef()
            elif word in ("trace", "env", "clock", "callsite", "stream", "event") and self._peek(1)[1] == "{":
                self.pos += 1
                block = self._block()
                self._expect(";")
                if word == "trace":
                    self.trace = block
                    order = "".join(v for _, v in block.get("byte_order", []))
                    if order in ("le", "little"):
                        self.byte_order_le = True
                    elif order in ("be", "big", "network"):
                        self.byte_order_le = False
                elif word == "stream":
                    sid = parse_number(block["id"][0][1]) if "id" in block else 0
                    self.streams[sid] = block
                elif word == "event":
                    self.events.append(block)
            else:
                self._type_spec(declarator_follows=False)
                self._expect(";")

    def _block(self):
        self._expect("{")
        block = {}
        while not self._accept("}"):
            if self._peek()[1] == "typealias":
                self._typealias()
                continue
            if self._peek()[1] == "typedef":
                self._typedef()
                continue
            if self._accept(";"):
                continue
            key = [self._next()[1]]
            while self._accept("."):
                key.append(self._next()[1])
            key = ".".join(key)
            if self._accept(":="):
                block[key] = self._type_spec(declarator_follows=False)
                self._expect(";")
            else:
                self._expect("=")
                block[key] = self._value_tokens()
        return block

    def _typealias(self):
        self._expect("typealias")
        t = self._type_spec(declarator_follows=False)
        self._expect(":=")
        name = []
        while self._peek()[1] != ";":
            name.append(self._next()[1])
        self._expect(";")
        self.aliases[" ".join(n for n in name if n != "*")] = t

    def _typedef(self):
        self._expect("typedef")
        t = self._type_spec(declarator_follows=True)
        name, t = self._declarator(t)
        self._expect(";")
        self.aliases[name] = t

    # -- types
    def _attributes(self):
        self._expect("{")
        attrs = {}
        while not self._accept("}"):
            key = self._next()[1]
            self._expect("=")
            attrs[key] = "".join(v for _, v in self._value_tokens())
        return attrs

    def _integer(self, attrs):
        size = parse_number(attrs["size"])
        align = parse_number(attrs["align"]) if "align" in attrs else (8 if size % 8 == 0 else 1)
        signed = attrs.get("signed", "false").lower() in ("true", "1")
        order = attrs.get("byte_order", "native")
        le = True if order in ("le", "little") else False if order in ("be", "big", "network") else None
        clock = attrs.get("map", "").startswith("clock.")
        return Int(size, align, signed, le, clock)

    def _type_spec(self, declarator_follows):
        kind, word = self._peek()
        if word in ("const", "volatile"):
            self.pos += 1
            return self._type_spec(declarator_follows)
        if word == "integer":
            self.pos += 1
            return self._integer(self._attributes())
        if word == "floating_point":
            self.pos += 1
            attrs = self._attributes()
            size = parse_number(attrs["exp_dig"]) + parse_number(attrs["mant_dig"])
            align = parse_number(attrs["align"]) if "align" in attrs else (8 if size % 8 == 0 else 1)
            return Float(size, align)
        if word == "string":
            self.pos += 1
            if self._peek()[1] == "{":
                self._attributes()
            return String()
        if word == "enum":
            return self._enum()
        if word == "struct":
            return self._struct()
        if word == "variant":
            return self._variant()
        # a type name, possibly of several words ("unsigned long"); a declarator may follow it
        words = []
        while self._peek(len(words))[0] == "id":
            words.append(self._peek(len(words))[1])
        longest = len(words) - 1 if declarator_follows else len(words)
        for n in range(longest, 0, -1):
            name = " ".join(words[:n])
            if name in self.aliases:
                self.pos += n
                return self.aliases[name]
        raise MetadataError("metadata: unknown type %r" % " ".join(words[:max(longest, 1)]))

    def _enum(self):
        self._expect("enum")
        name = self._next()[1] if self._peek()[0] == "id" else None
        container = None
        if self._accept(":"):
            container = self._type_spec(declarator_follows=False)
        if self._peek()[1] != "{":
            return self.named["enum " + name]
        if container is None:
            container = self.aliases.get("int")
            if container is None:
                raise MetadataError("metadata: enum without a container type and no `int` alias")
        if isinstance(container, Enum):
            container = container.container
        self._expect("{")
        mappings = []
        value = 0
        while not self._accept("}"):
            if self._accept(","):
                continue
            label = self._next()[1].strip("\"'")
            low = high = value
            if self._accept("="):
                low = high = parse_number(self._next()[1])
                if self._accept("..."):
                    high = parse_number(self._next()[1])
            mappings.append((label, low, high))
            value = high + 1
        t = Enum(container, mappings)
        if name:
            self.named["enum " + name] = t
        return t

    def _struct(self):
        self._expect("struct")
        name = self._next()[1] if self._peek()[0] == "id" and self._peek()[1] != "align" else None
        if self._peek()[1] != "{":
            t = self.named.get("struct " + name) if name else None
            if t is None:
                raise MetadataError("metadata: unknown struct %r" % name)
            return t
        fields = self._fields()
        min_align = 1
        if self._accept("align"):
            self._expect("(")
            min_align = parse_number(self._next()[1])
            self._expect(")")
        t = Struct(fields, min_align)
        if name:
            self.named["struct " + name] = t
        return t

    def _variant(self):
        self._expect("variant")
        name = self._next()[1] if self._peek()[0] == "id" else None
        tag = None
        if self._accept("<"):
            path = []
            while not self._accept(">"):
                path.append(self._next()[1])
            tag = "".join(path)
        if self._peek()[1] != "{":
            base = self.named.get("variant " + name) if name else None
            if base is None:
                raise MetadataError("metadata: unknown variant %r" % name)
            return Variant(tag or base.tag, base.options)
        options = dict(self._fields())
        t = Variant(tag, options)
        if name:
            self.named["variant " + name] = t
        return t

    def _fields(self):
        self._expect("{")
        fields = []
        while not self._accept("}"):
            if self._accept(";"):
                continue
            if self._peek()[1] == "typealias":
                self._typealias()
                continue
            if self._peek()[1] == "typedef":
                self._typedef()
                continue
            base = self._type_spec(declarator_follows=True)
            while True:
                fields.append(self._declarator(base))
                if not self._accept(","):
                    break
            self._expect(";")
        return fields

    def _declarator(self, t):
        while self._accept("*"):
            pass
        name = self._next()[1]
        dims = []
        while self._accept("["):
            inner = []
            while not self._accept("]"):
                inner.append(self._next())
            if len(inner) == 1 and inner[0][0] == "num":
                dims.append(parse_number(inner[0][1]))
            else:
                dims.append("".join(v for _, v in inner))
        for dim in reversed(dims):
            t = Array(t, dim) if isinstance(dim, int) else Sequence(t, dim)
        return name, t

    # -- after parsing
    def _all_types(self):
        header = self.trace.get("packet.header")
        if header is not None:
            yield header
        for block in self.streams.values():
            for key in ("packet.context", "event.header", "event.context"):
                if key in block:
                    yield block[key]
        for block in self.events:
            for key in ("context", "fields"):
                if key in block:
                    yield block[key]

    def _resolve_native(self, t, seen):
        if id(t) in seen:
            return
        seen.add(id(t))
        if isinstance(t, Int):
            if t.le is None:
                t.le = self.byte_order_le
        elif isinstance(t, Enum):
            self._resolve_native(t.container, seen)
        elif isinstance(t, Struct):
            for _, f in t.fields:
                self._resolve_native(f, seen)
        elif isinstance(t, Variant):
            for o in t.options.values():
                self._resolve_native(o, seen)
        elif isinstance(t, (Array, Sequence)):
            self._resolve_native(t.elem, seen)

    def event_classes(self, stream_id):
        out = {}
        for block in self.events:
            sid = parse_number(block["stream_id"][0][1]) if "stream_id" in block else None
            if sid is None and len(self.streams) > 1:
                raise MetadataError("event without stream_id in a trace of several stream classes")
            if sid is None or sid == stream_id:
                eid = parse_number(block["id"][0][1]) if "id" in block else 0
                name = block["name"][0][1].strip('"') if "name" in block else str(eid)
                out[eid] = (name, block.get("context"), block.get("fields"))
        return out

    def clock_granularity_bits(self):
        """The widest clock-mapped integer narrower than 64 bits: shifts must keep its bits unchanged."""
        widths = set()
        for t in self._all_types():
            clock_widths(t, widths)
        narrow = [w for w in widths if w < 64]
        return max(narrow) if narrow else 0


# --------------------------------------------------------------------------------------------------------------
# Reading integers at bit offsets

_STRUCTS = {}


def _struct_for(size, signed, le):
    key = (size, signed, le)
    if key not in _STRUCTS:
        code = {8: "b", 16: "h", 32: "i", 64: "q"}[size]
        _STRUCTS[key] = struct.Struct(("<" if le else ">") + (code if signed else code.upper()))
    return _STRUCTS[key]


def read_int(buf, bitpos, t):
    if bitpos % 8 == 0 and t.size in (8, 16, 32, 64):
        return _struct_for(t.size, t.signed, t.le).unpack_from(buf, bitpos >> 3)[0]
    first = bitpos >> 3
    shift = bitpos & 7
    nbytes = (shift + t.size + 7) >> 3
    raw = buf[first:first + nbytes]
    if t.le:
        value = (int.from_bytes(raw, "little") >> shift) & ((1 << t.size) - 1)
    else:
        value = (int.from_bytes(raw, "big") >> (nbytes * 8 - shift - t.size)) & ((1 << t.size) - 1)
    if t.signed and value >> (t.size - 1):
        value -= 1 << t.size
    return value


def write_uint(buf, bitpos, t, value):
    if bitpos % 8 or t.size % 8:
        raise ValueError("only byte-aligned whole-byte fields are rewritten")
    buf[bitpos >> 3:(bitpos >> 3) + t.size // 8] = (value & ((1 << t.size) - 1)).to_bytes(
        t.size // 8, "little" if t.le else "big")


def align_up(value, a):
    return (value + a - 1) // a * a


def decode_all(t, buf, pos, out, name=None):
    """Decodes every field of a (small) packet-level scope into out: name -> (value, bit position, Int)."""
    if isinstance(t, (Int, Enum)):
        it = t.container if isinstance(t, Enum) else t
        pos = align_up(pos, it.align)
        if name is not None:
            out[name] = (read_int(buf, pos, it), pos, it)
        return pos + it.size
    if isinstance(t, Float):
        return align_up(pos, t.align) + t.size
    if isinstance(t, String):
        start = align_up(pos, 8) >> 3
        return (buf.index(0, start) + 1) << 3
    if isinstance(t, Struct):
        pos = align_up(pos, alignment(t))
        for fname, f in t.fields:
            pos = decode_all(f, buf, pos, out, fname)
        return pos
    if isinstance(t, Variant):
        raise MetadataError("variants in packet headers or contexts are not supported")
    if isinstance(t, (Array, Sequence)):
        n = t.length if isinstance(t, Array) else out[t.length.split(".")[-1]][0]
        for _ in range(n):
            pos = decode_all(t.elem, buf, pos, out)
        return pos
    raise MetadataError("unknown type")


# --------------------------------------------------------------------------------------------------------------
# Event walker: each type compiles to a closure op(buf, bitpos, env) -> bitpos.
# Fields the walk does not need (neither a variant tag, a sequence length, the event id, a clock value nor a
# field to patch) and of fixed size are merged into one skip per run, so most of an event costs one call.

class Patches:
    """Byte offsets, within the packet, of the 64-bit fields to patch; filled during one packet's walk."""

    def __init__(self):
        self.ts_le, self.ts_be, self.skb_le, self.skb_be = [], [], [], []


class Compiler:
    def __init__(self, needed, patches, in_header):
        self.needed = needed
        self.patches = patches
        self.in_header = in_header

    def _special(self, name, t):
        it = t.container if isinstance(t, Enum) else t
        if not isinstance(it, Int):
            return False
        return (name in self.needed or (it.clock and (self.in_header or it.size == 64))
                or (name in SKB_FIELD_NAMES and it.size == 64))

    def plain_layout(self, name, t):
        """(alignment, size in bits) when t has a fixed size and nothing in it matters to the walk, else None."""
        if isinstance(t, (Int, Enum)):
            if self._special(name, t):
                return None
            it = t.container if isinstance(t, Enum) else t
            return it.align, it.size
        if isinstance(t, Float):
            return t.align, t.size
        if isinstance(t, Struct):
            a = alignment(t)
            rel = 0
            for fname, f in t.fields:
                lay = self.plain_layout(fname, f)
                if lay is None:
                    return None
                rel = align_up(rel, lay[0]) + lay[1]
            return a, rel
        if isinstance(t, Array):
            lay = self.plain_layout(None, t.elem)
            if lay is None:
                return None
            ea, es = lay
            if es % ea == 0:
                return ea, es * t.length
            rel = 0
            for _ in range(t.length):
                rel = align_up(rel, ea) + es
            return ea, rel
        return None

    def compile(self, name, t, scopes):
        if isinstance(t, (Int, Enum)):
            return self._int(name, t)
        if isinstance(t, Float):
            return self._skip(t.align, t.size)
        if isinstance(t, String):
            def op(buf, pos, env, index=bytearray.index):
                return (index(buf, 0, (pos + 7) >> 3) + 1) << 3
            return op
        if isinstance(t, Struct):
            return self._struct(t, scopes)
        if isinstance(t, Variant):
            return self._variant(t, scopes)
        if isinstance(t, Array):
            return self._repeat(t.elem, lambda env, n=t.length: n, scopes)
        if isinstance(t, Sequence):
            key = t.length.split(".")[-1]
            return self._repeat(t.elem, lambda env, k=key: env[k], scopes)
        raise MetadataError("unknown type")

    @staticmethod
    def _skip(a, size):
        m = a - 1

        def op(buf, pos, env):
            return ((pos + m) & ~m) + size
        return op

    def _int(self, name, t):
        it = t.container if isinstance(t, Enum) else t
        m = it.align - 1
        size = it.size
        if not self._special(name, t):
            return self._skip(it.align, size)
        patch_list = None
        if size == 64 and it.clock:
            patch_list = self.patches.ts_le if it.le else self.patches.ts_be
        elif size == 64 and name in SKB_FIELD_NAMES:
            patch_list = self.patches.skb_le if it.le else self.patches.skb_be
        if patch_list is not None and it.align % 8:
            raise MetadataError("field %s is not byte-aligned: not supported" % name)
        clock_width = size if (it.clock and self.in_header) else 0
        key = name
        if size in (8, 16, 32, 64) and it.align % 8 == 0:
            unpack = _struct_for(size, it.signed, it.le).unpack_from
            append = patch_list.append if patch_list is not None else None

            def op(buf, pos, env):
                pos = (pos + m) & ~m
                value = unpack(buf, pos >> 3)[0]
                env[key] = value
                if append is not None:
                    append(pos >> 3)
                if clock_width:
                    env["@ts"] = value
                    env["@tsw"] = clock_width
                return pos + size
            return op

        def op_bits(buf, pos, env):
            pos = (pos + m) & ~m
            value = read_int(buf, pos, it)
            env[key] = value
            if clock_width:
                env["@ts"] = value
                env["@tsw"] = clock_width
            return pos + size
        return op_bits

    def _struct(self, t, scopes):
        scopes = scopes + [dict(t.fields)]
        ops = []
        run = None  # [alignment, bits] of merged plain fields

        def flush():
            if run is not None:
                ops.append(self._skip(run[0], run[1]))
        for fname, f in t.fields:
            lay = self.plain_layout(fname, f)
            if lay is not None:
                # the run starts aligned to its first field; a later field aligned no more strictly than
                # that lands at an offset known now
                if run is not None and lay[0] <= run[0]:
                    run[1] = align_up(run[1], lay[0]) + lay[1]
                    continue
                flush()
                run = [lay[0], lay[1]]
                continue
            flush()
            run = None
            ops.append(self.compile(fname, f, scopes))
        flush()
        m = alignment(t) - 1
        ops = tuple(ops)
        if len(ops) == 1:
            only = ops[0]

            def op1(buf, pos, env):
                return only(buf, (pos + m) & ~m, env)
            return op1

        def op(buf, pos, env):
            pos = (pos + m) & ~m
            for o in ops:
                pos = o(buf, pos, env)
            return pos
        return op

    def _variant(self, t, scopes):
        key = t.tag.split(".")[-1]
        tag_type = None
        for scope in reversed(scopes):
            if key in scope:
                tag_type = scope[key]
                break
        if not isinstance(tag_type, Enum):
            raise MetadataError("variant tag %s is not an enumeration" % t.tag)
        options = {label: self.compile(label, o, scopes) for label, o in t.options.items()}
        mappings = tag_type.mappings
        cache = {}

        def op(buf, pos, env):
            value = env[key]
            chosen = cache.get(value)
            if chosen is None:
                for label, low, high in mappings:
                    if low <= value <= high and label in options:
                        chosen = cache[value] = options[label]
                        break
                else:
                    raise MetadataError("variant %s: no option for tag value %d" % (t.tag, value))
            return chosen(buf, pos, env)
        return op

    def _repeat(self, elem, count, scopes):
        lay = self.plain_layout(None, elem)
        if lay is not None and lay[1] % lay[0] == 0:
            m = lay[0] - 1
            size = lay[1]

            def op(buf, pos, env):
                n = count(env)
                return ((pos + m) & ~m) + n * size if n else pos
            return op
        inner = self.compile(None, elem, scopes)

        def op_loop(buf, pos, env):
            for _ in range(count(env)):
                pos = inner(buf, pos, env)
            return pos
        return op_loop


def needed_names(t, out):
    if isinstance(t, Struct):
        for _, f in t.fields:
            needed_names(f, out)
    elif isinstance(t, Variant):
        out.add(t.tag.split(".")[-1])
        for o in t.options.values():
            needed_names(o, out)
    elif isinstance(t, Sequence):
        out.add(t.length.split(".")[-1])
        needed_names(t.elem, out)
    elif isinstance(t, Array):
        needed_names(t.elem, out)


class StreamLayout:
    """The compiled walk of one stream class."""

    def __init__(self, md, stream_id):
        block = md.streams.get(stream_id)
        if block is None:
            raise MetadataError("no stream class %d in the metadata" % stream_id)
        self.packet_context = block.get("packet.context")
        header = block.get("event.header")
        stream_ctx = block.get("event.context")
        classes = md.event_classes(stream_id)
        needed = {"id"}
        all_scopes = [header, stream_ctx] + [x for _, c, f in classes.values() for x in (c, f)]
        for t in all_scopes:
            if t is not None:
                needed_names(t, needed)
        self.patches = Patches()
        self.max_align = max([8] + [max_alignment(t) for t in all_scopes if t is not None])
        self.header_align = alignment(header) if header is not None else 8
        header_compiler = Compiler(needed, self.patches, in_header=True)
        body_compiler = Compiler(needed, self.patches, in_header=False)
        outer = []
        self.header_op = header_compiler.compile(None, header, []) if header is not None else None
        if header is not None:
            outer.append(dict(header.fields))
        self.stream_ctx_op = body_compiler.compile(None, stream_ctx, outer) if stream_ctx is not None else None
        if stream_ctx is not None and isinstance(stream_ctx, Struct):
            outer = outer + [dict(stream_ctx.fields)]
        self.events = {}
        for eid, (name, ctx, fields) in classes.items():
            ctx_op = body_compiler.compile(None, ctx, outer) if ctx is not None else None
            inner = outer + ([dict(ctx.fields)] if isinstance(ctx, Struct) else [])
            fields_op = body_compiler.compile(None, fields, inner) if fields is not None else None
            self.events[eid] = (name, ctx_op, fields_op, name.startswith("lttng_statedump_"))


# --------------------------------------------------------------------------------------------------------------
# Pass 1: walk the source, one stream file per process

def packet_context_fields(md, buf):
    out = {}
    pos = decode_all(md.trace["packet.header"], buf, 0, out) if "packet.header" in md.trace else 0
    header = dict(out)
    ctx = {}
    stream_id = header["stream_id"][0] if "stream_id" in header else 0
    layout_ctx = md.streams[stream_id].get("packet.context") if stream_id in md.streams else None
    if layout_ctx is not None:
        pos = decode_all(layout_ctx, buf, pos, ctx)
    return header, ctx, pos


def walk_stream(args):
    metadata_path, path = args
    md = Metadata(metadata_text(metadata_path))
    layouts = {}
    packets = []
    events = 0
    statedump_events = 0
    size = os.path.getsize(path)
    started = time.time()
    with open(path, "rb") as f:
        offset = 0
        while offset < size:
            f.seek(offset)
            head = f.read(4096)
            header, ctx, context_end = packet_context_fields(md, head)
            if "magic" in header and header["magic"][0] != PACKET_MAGIC:
                raise MetadataError("%s: bad packet magic at byte %d" % (path, offset))
            stream_id = header["stream_id"][0] if "stream_id" in header else 0
            packet_bytes = ctx["packet_size"][0] // 8 if "packet_size" in ctx else size - offset
            content_bits = ctx["content_size"][0] if "content_size" in ctx else packet_bytes * 8
            if packet_bytes <= 0 or offset + packet_bytes > size:
                raise MetadataError("%s: packet at byte %d overruns the file" % (path, offset))
            layout = layouts.get(stream_id)
            if layout is None:
                layout = layouts[stream_id] = StreamLayout(md, stream_id)
            f.seek(offset)
            buf = bytearray(packet_bytes)
            f.readinto(buf)
            info = walk_packet(layout, buf, context_end, content_bits, ctx, path, offset)
            info.update(offset=offset, size=packet_bytes, content_bits=content_bits, stream_id=stream_id,
                        ctx={k: (v[0], v[1], v[2]) for k, v in ctx.items()})
            events += info["events"]
            statedump_events += info["statedump_events"]
            packets.append(info)
            offset += packet_bytes
    return dict(path=path, size=size, packets=packets, events=events, statedump_events=statedump_events,
                seconds=time.time() - started)


def walk_packet(layout, buf, pos, end, ctx, path, offset):
    patches = layout.patches
    for lst in (patches.ts_le, patches.ts_be, patches.skb_le, patches.skb_be):
        lst.clear()
    env = {}
    events_table = layout.events
    header_op, stream_ctx_op = layout.header_op, layout.stream_ctx_op
    header_mask = layout.header_align - 1
    clock = ctx["timestamp_begin"][0] if "timestamp_begin" in ctx else 0
    last_kept_clock = clock
    removed = []  # [start, end) bit ranges of statedump events
    removing_since = None
    count = 0
    statedump_count = 0
    while True:
        pos = (pos + header_mask) & ~header_mask
        if pos >= end:
            break
        start = pos
        env["@tsw"] = 0
        if header_op is not None:
            pos = header_op(buf, pos, env)
        width = env["@tsw"]
        if width == 64:
            clock = env["@ts"]
        elif width:
            low_mask = (1 << width) - 1
            value = env["@ts"]
            new = (clock & ~low_mask) | value
            if value < (clock & low_mask):
                new += 1 << width
            clock = new
        try:
            name, ctx_op, fields_op, statedump = events_table[env["id"]]
        except KeyError:
            raise MetadataError("%s: unknown event id %d in the packet at byte %d" % (path, env["id"], offset))
        if stream_ctx_op is not None:
            pos = stream_ctx_op(buf, pos, env)
        if ctx_op is not None:
            pos = ctx_op(buf, pos, env)
        if fields_op is not None:
            pos = fields_op(buf, pos, env)
        count += 1
        if statedump:
            statedump_count += 1
            if removing_since is None:
                removing_since = start
        else:
            if removing_since is not None:
                removed.append((removing_since, start))
                removing_since = None
                # a compact timestamp is read against the previous event kept: the gap must fit its width
                if width and width < 64 and clock - last_kept_clock >= (1 << width):
                    raise MetadataError("%s: leaving out statedump events at byte %d would break a compact "
                                        "timestamp" % (path, offset))
            last_kept_clock = clock
    if pos > end:
        raise MetadataError("%s: the walk of the packet at byte %d ran past its content" % (path, offset))
    if removing_since is not None:
        removed.append((removing_since, end))
    info = dict(events=count, statedump_events=statedump_count,
                ts_le=array.array("I", patches.ts_le), ts_be=array.array("I", patches.ts_be),
                skb_le=array.array("I", patches.skb_le), skb_be=array.array("I", patches.skb_be),
                strip=None)
    if removed:
        info["strip"] = strip_plan(layout, removed, end, info, path, offset)
    return info


def strip_plan(layout, removed, end, info, path, offset):
    """Kept byte ranges and shifted patch offsets of the packet without its statedump events."""
    keep = []
    cursor = 0
    shifts = []  # (first byte of a kept range, bytes removed before it)
    removed_bytes = 0
    for start, stop in removed:
        if start % 8 or stop % 8 or (stop - start) % layout.max_align:
            raise MetadataError("%s: statedump events at byte %d are not removable without re-aligning" % (
                path, offset))
        keep.append((cursor, start // 8))
        shifts.append((cursor, removed_bytes))
        removed_bytes += (stop - start) // 8
        cursor = stop // 8
    content_end = (end + 7) // 8
    keep.append((cursor, content_end))
    shifts.append((cursor, removed_bytes))

    def moved(offsets):
        out = array.array("I")
        gone = [(s // 8, e // 8) for s, e in removed]
        k = 0
        for o in offsets:
            while k < len(gone) and o >= gone[k][1]:
                k += 1
            if k < len(gone) and gone[k][0] <= o:
                continue  # a field of a left-out event
            before = shifts[k][1]
            out.append(o - before)
        return out
    return dict(keep=keep, content_bits=end - removed_bytes * 8,
                ts_le=moved(info["ts_le"]), ts_be=moved(info["ts_be"]),
                skb_le=moved(info["skb_le"]), skb_be=moved(info["skb_be"]))


# --------------------------------------------------------------------------------------------------------------
# Pass 2: write the copies, one stream file per process

U64LE = struct.Struct("<Q")
U64BE = struct.Struct(">Q")


def add_to_fields(buf, offsets, delta, codec, keep_zero):
    unpack, pack = codec.unpack_from, codec.pack_into
    for o in offsets:
        value = unpack(buf, o)[0]
        if keep_zero and not value:
            continue
        pack(buf, o, (value + delta) & MASK64)


def read_index(path, packets):
    """The source's index entries, when the file is there and matches the packets; else None."""
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 16:
        return None
    magic, major, minor, entry_len = struct.unpack_from(">IIII", data)
    if magic != INDEX_MAGIC or entry_len < 56:
        return None
    entries = [bytearray(data[o:o + entry_len]) for o in range(16, len(data) - entry_len + 1, entry_len)]
    if len(entries) != len(packets):
        return None
    for e, p in zip(entries, packets):
        if struct.unpack_from(">Q", e, 0)[0] != p["offset"]:
            return None
    return data[:16], entry_len, entries


def write_stream(args):
    (src_path, dst_path, src_index, dst_index, walked, plan) = args
    packets = walked["packets"]
    copies, last_count = plan["copies"], plan["last_packets"]
    step_ts, file_size = plan["step_ts"], walked["size"]
    seqs = [p["ctx"]["packet_seq_num"][0] for p in packets if "packet_seq_num" in p["ctx"]]
    seq_step = (seqs[-1] - seqs[0] + 1) if seqs else 0
    disc_step = packets[-1]["ctx"]["events_discarded"][0] if packets and "events_discarded" in packets[-1]["ctx"] \
        else 0
    index = read_index(src_index, packets) if src_index else None
    templates = {}
    written = 0
    events = 0
    started = time.time()
    idx_out = open(dst_index, "wb") if index else None
    if idx_out:
        idx_out.write(index[0])
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        for k in range(copies):
            count = len(packets) if k < copies - 1 else last_count
            for i in range(count):
                p = packets[i]
                strip = p["strip"] if k else None
                if k == 0:
                    src.seek(p["offset"])
                    buf = bytearray(p["size"])
                    src.readinto(buf)
                    events += p["events"]
                else:
                    if strip is not None:
                        buf = templates.get(i)
                        if buf is None:
                            src.seek(p["offset"])
                            whole = src.read(p["size"])
                            body = b"".join(whole[a:b] for a, b in strip["keep"])
                            buf = templates[i] = bytes(body) + bytes(p["size"] - len(body))
                        buf = bytearray(buf)
                        fields = strip
                        events += p["events"] - p["statedump_events"]
                    else:
                        src.seek(p["offset"])
                        buf = bytearray(p["size"])
                        src.readinto(buf)
                        fields = p
                        events += p["events"]
                    ts_delta, skb_delta = k * step_ts, k * SKB_STEP
                    add_to_fields(buf, fields["ts_le"], ts_delta, U64LE, False)
                    add_to_fields(buf, fields["ts_be"], ts_delta, U64BE, False)
                    add_to_fields(buf, fields["skb_le"], skb_delta, U64LE, True)
                    add_to_fields(buf, fields["skb_be"], skb_delta, U64BE, True)
                    ctx = p["ctx"]
                    for name, (value, pos, t) in ctx.items():
                        if t.clock:
                            write_uint(buf, pos, t, value + ts_delta)
                    if "packet_seq_num" in ctx:
                        value, pos, t = ctx["packet_seq_num"]
                        write_uint(buf, pos, t, value + k * seq_step)
                    if "events_discarded" in ctx:
                        value, pos, t = ctx["events_discarded"]
                        write_uint(buf, pos, t, value + k * disc_step)
                    if strip is not None and "content_size" in ctx:
                        value, pos, t = ctx["content_size"]
                        write_uint(buf, pos, t, strip["content_bits"])
                dst.write(buf)
                if idx_out:
                    entry = bytearray(index[2][i])
                    if k:
                        # offset, packet_size, content_size, timestamp_begin, timestamp_end, events_discarded,
                        # stream_id, then (index 1.1) stream_instance_id, packet_seq_num
                        fields64 = list(struct.unpack_from(">7Q", entry))
                        fields64[0] += k * file_size
                        if strip is not None:
                            fields64[2] = strip["content_bits"]
                        fields64[3] += k * step_ts
                        fields64[4] += k * step_ts
                        fields64[5] += k * disc_step
                        struct.pack_into(">7Q", entry, 0, *fields64)
                        if len(entry) >= 72:
                            seq, = struct.unpack_from(">Q", entry, 64)
                            struct.pack_into(">Q", entry, 64, seq + k * seq_step)
                    idx_out.write(entry)
                written += p["size"]
    if idx_out:
        idx_out.close()
    return dict(path=dst_path, bytes=written, events=events, seconds=time.time() - started, index=bool(idx_out))


# --------------------------------------------------------------------------------------------------------------

def parse_size(text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT]?)i?B?", text.strip(), re.I)
    if not m:
        raise argparse.ArgumentTypeError("size like 50M, 500M, 5G")
    return int(float(m.group(1)) * 1024 ** " KMGT".index(m.group(2).upper() or " "))


def stream_files(trace_dir):
    out = []
    for name in sorted(os.listdir(trace_dir)):
        path = os.path.join(trace_dir, name)
        if name == "metadata" or name.startswith(".") or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            head = f.read(4)
        if len(head) == 4 and struct.unpack("<I", head)[0] in (PACKET_MAGIC, 0xC11FFCC1):
            out.append(name)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source")
    ap.add_argument("dest")
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--size", type=parse_size, help="total bytes of stream files (50M, 500M, 5G)")
    group.add_argument("--copies", type=int, help="exactly N whole copies")
    ap.add_argument("--force", action="store_true", help="write into a DEST_DIR that is not empty")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: processors)")
    args = ap.parse_args()

    started = time.time()
    metadata_path = os.path.join(args.source, "metadata")
    md = Metadata(metadata_text(metadata_path))
    names = stream_files(args.source)
    if not names:
        sys.exit("no stream files in %s" % args.source)
    if os.path.isdir(args.dest) and os.listdir(args.dest) and not args.force:
        sys.exit("%s is not empty (--force writes into it)" % args.dest)
    os.makedirs(args.dest, exist_ok=True)

    jobs = max(1, min(args.jobs, len(names)))
    with multiprocessing.Pool(jobs) as pool:
        walked = pool.map(walk_stream, [(metadata_path, os.path.join(args.source, n)) for n in names], chunksize=1)
    walk_seconds = time.time() - started
    source_events = sum(w["events"] for w in walked)
    source_bytes = sum(w["size"] for w in walked)
    statedump_events = sum(w["statedump_events"] for w in walked)
    stripped = [(w, p) for w in walked for p in w["packets"] if p["strip"] is not None]

    begins = [p["ctx"]["timestamp_begin"][0] for w in walked for p in w["packets"] if "timestamp_begin" in p["ctx"]]
    ends = [p["ctx"]["timestamp_end"][0] for w in walked for p in w["packets"] if "timestamp_end" in p["ctx"]]
    if not begins or not ends:
        sys.exit("the packets have no timestamp_begin/timestamp_end: cannot shift them")
    duration = max(ends) - min(begins)
    granularity = 1 << md.clock_granularity_bits()
    step_ts = (duration // granularity + 1) * granularity  # > duration: copies never overlap

    # Whole copies all have the source's size (statedump events leave content, not packets); a size that is not
    # a multiple takes the first packets in time of one more copy, across all streams.
    if args.copies is not None:
        whole, last = args.copies, None
    else:
        whole = args.size // source_bytes
        budget = args.size - whole * source_bytes
        order = sorted((p["ctx"]["timestamp_begin"][0], si, pi, p["size"])
                       for si, w in enumerate(walked) for pi, p in enumerate(w["packets"]))
        last = [0] * len(walked)
        for _, si, pi, size in order:
            if size > budget:
                break
            budget -= size
            last[si] = pi + 1
        if not any(last):
            last = None
    copies = whole + (1 if last is not None else 0)
    if copies == 0:
        sys.exit("nothing to write: no copy asked for, or --size below the first packet")
    jobs_args = []
    index_dir = os.path.join(args.source, "index")
    if os.path.isdir(index_dir):
        os.makedirs(os.path.join(args.dest, "index"), exist_ok=True)
    for si, (name, w) in enumerate(zip(names, walked)):
        src_index = os.path.join(index_dir, name + ".idx")
        plan = dict(copies=copies, step_ts=step_ts,
                    last_packets=len(w["packets"]) if last is None else last[si])
        jobs_args.append((os.path.join(args.source, name), os.path.join(args.dest, name),
                          src_index if os.path.exists(src_index) else None,
                          os.path.join(args.dest, "index", name + ".idx"), w, plan))
    with open(metadata_path, "rb") as f, open(os.path.join(args.dest, "metadata"), "wb") as g:
        g.write(f.read())
    write_started = time.time()
    with multiprocessing.Pool(jobs) as pool:
        written = pool.map(write_stream, jobs_args, chunksize=1)
    write_seconds = time.time() - write_started
    total_bytes = sum(r["bytes"] for r in written)
    total_events = sum(r["events"] for r in written)
    no_index = [os.path.basename(r["path"]) for r in written if not r["index"]]
    print("source: %d stream files, %d bytes, %d events (%d statedump events in %d packets of %d), "
          "duration %.3f s" % (len(names), source_bytes, source_events, statedump_events, len(stripped),
                               sum(len(w["packets"]) for w in walked), duration / 1e9))
    if stripped:
        others = sum(p["events"] - p["statedump_events"] for _, p in stripped)
        print("  packets holding statedump events also hold %d other events: copies >= 1 keep those packets "
              "without the statedump events" % others)
    print("step between copies: %d ns (duration rounded up to a multiple of 2^%d ns)"
          % (step_ts, md.clock_granularity_bits()))
    print("written: %s: %d copies%s, %d bytes of stream files, %d events" % (
        args.dest, copies, "" if last is None else " (the last one cut to %d packets)" % sum(last),
        total_bytes, total_events))
    print("time: walk %.1f s (%.0f events/s per process), write %.1f s (%.0f MB/s), total %.1f s" % (
        walk_seconds, max(w["events"] / max(w["seconds"], 1e-9) for w in walked), write_seconds,
        total_bytes / 1e6 / max(write_seconds, 1e-9), time.time() - started))
    if no_index:
        print("no index file written for %s (none in the source, or it does not match the packets)"
              % ", ".join(no_index))


if __name__ == "__main__":
    main()
