#!/usr/bin/env python3
"""Builds a benchmark trace set: N copies of one CTF trace, each under a fresh UUID.

Why: babeltrace2's muxer slows down as streams grow (8 -> 80 streams); ten copies of an 8-stream trace give a
real-data set of 80+ streams. Each copy gets its own UUID so readers treat the copies as distinct traces.
The UUID is replaced byte-for-byte in every packet header of the stream files and in the metadata (binary
form in the metadata packet headers, text form in the TSDL trace block); sizes and offsets do not change.

usage: make-stream-set.py SOURCE_TRACE_DIR DEST_DIR [COPIES]
"""
import os
import re
import shutil
import sys
import uuid


def trace_uuid(metadata: bytes) -> uuid.UUID:
    match = re.search(rb'uuid\s*=\s*"([0-9a-fA-F-]{36})"', metadata)
    if not match:
        sys.exit("no trace uuid found in the metadata")
    return uuid.UUID(match.group(1).decode())


def copy_with_uuid(source: str, dest: str, old: uuid.UUID, new: uuid.UUID) -> None:
    os.makedirs(dest, exist_ok=True)
    for root, _dirs, files in os.walk(source):
        target_dir = os.path.join(dest, os.path.relpath(root, source))
        os.makedirs(target_dir, exist_ok=True)
        for name in files:
            src = os.path.join(root, name)
            dst = os.path.join(target_dir, name)
            if os.path.basename(root) == "index":
                shutil.copyfile(src, dst)
                continue
            data = open(src, "rb").read()
            data = data.replace(old.bytes, new.bytes)
            data = data.replace(str(old).encode(), str(new).encode())
            open(dst, "wb").write(data)


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source, dest = sys.argv[1], sys.argv[2]
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    old = trace_uuid(open(os.path.join(source, "metadata"), "rb").read())
    for index in range(copies):
        new = uuid.UUID(int=(old.int + index + 1) % (1 << 128))
        copy_with_uuid(source, os.path.join(dest, "copy%02d" % index), old, new)
    print("%d copies of %s under %s" % (copies, source, dest))


if __name__ == "__main__":
    main()
