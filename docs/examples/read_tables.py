#!/usr/bin/env python3
"""Reads the Parquet tables of `vnetscope-spark analyze --output DIR` with pandas (pyarrow) and DuckDB.

    python3 docs/examples/read_tables.py DIR            # a few answers from the tables
    python3 docs/examples/read_tables.py --check DIR    # also holds every table to DIR/analyze.json

Needs pandas, pyarrow and duckdb (pip install pandas pyarrow duckdb). The tables are partitioned by host
(DIR/<table>/host=<name>/part-*.parquet): both libraries read the folder names as a "host" column.
"""
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd


def table(out, name):
    """A table as a pandas DataFrame, or None when the run wrote no rows for it."""
    folder = out / name
    return pd.read_parquet(folder) if folder.is_dir() else None


def show(out):
    interfaces = table(out, "interfaces")
    print("busiest interfaces (packets received and sent):")
    interfaces["packets"] = interfaces["rx_packets"] + interfaces["tx_packets"]
    print(interfaces.sort_values("packets", ascending=False)
          .head(5)[["host", "name", "peer", "rx_packets", "tx_packets", "drops_packets"]].to_string(index=False))

    timeline = table(out, "interface_timeline")
    per_bin = timeline.groupby(["host", "start_ns"], observed=True)["tx_bytes"].sum().reset_index()
    print("\nbusiest time bins (bytes sent by all of a host's interfaces):")
    print(per_bin.sort_values("tx_bytes", ascending=False).head(5).to_string(index=False))

    streams = table(out, "streams")
    if streams is not None:
        print("\nlargest streams:")
        print(streams.sort_values("bytes_ab", ascending=False)
              .head(5)[["host", "protocol", "a", "b", "bytes_ab", "bytes_ba"]].to_string(index=False))

    changes = table(out, "topology_changes")
    if changes is not None and (changes["kind"] == "migrated").any():
        print("\nmigrations:")
        migrated = changes[changes["kind"] == "migrated"].astype({"downtime_ns": "Int64", "lost_packets": "Int64"})
        print(migrated[["vm", "from_host", "to_host", "downtime_ns", "lost_packets"]].to_string(index=False))

    # the same tables from SQL: DuckDB reads the host=... folders as a column too
    glob = str(out / "interfaces" / "*" / "*.parquet")
    print("\nper host, from DuckDB:")
    for host, count, received, sent in duckdb.sql(
            "select host, count(*), sum(rx_packets), sum(tx_packets) "
            f"from read_parquet('{glob}', hive_partitioning = true) group by host order by host").fetchall():
        print(f"  {host}: {count} interfaces, {received} packets received, {sent} sent")


def check(out):
    """Every table's rows against the document written beside them; returns the problems found."""
    document = json.loads((out / "analyze.json").read_text())
    several = "host_vm_matrix" in document
    expected = {
        "hosts": len(document["hosts"]) if several else 1,
        "interfaces": len(document["interfaces"]),
        "interface_timeline": sum(len(i["timeline"]) for i in document["interfaces"]),
        "streams": len(document["streams"]),
        "drops": len(document["drops"]),
        "offload": len(document["offload"]),
        "paths": len(document["paths"]),
        "vm_matrix": len(document["host_vm_matrix"] if several else document["vm_matrix"]),
        "cluster_vm_matrix": len(document["vm_matrix"]) if several else 0,
        "topology_changes": len(document["topology"]["changes"]),
        "sync": len(document["sync"]["transforms"]) if several else 0,
    }
    problems = []
    for name, rows in expected.items():
        frame = table(out, name)
        found = 0 if frame is None else len(frame)
        if found != rows:
            problems.append(f"{name}: {found} rows read, the document has {rows}")
    interfaces = table(out, "interfaces")
    hosts = sorted(set(interfaces["host"].astype(str)))
    for column in ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drops_packets"):
        path = column.replace("_", ".", 1) if column != "drops_packets" else "drops.packets"
        outer, inner = path.split(".")
        in_document = {}
        for row in document["interfaces"]:
            host = row["host"] if several else hosts[0]
            in_document[host] = in_document.get(host, 0) + row[outer][inner]
        by_pandas = interfaces.groupby("host", observed=True)[column].sum()
        glob = str(out / "interfaces" / "*" / "*.parquet")
        by_duckdb = dict(duckdb.sql(f"select host, sum({column}) from read_parquet('{glob}', "
                                    "hive_partitioning = true) group by host").fetchall())
        for host in hosts:
            if int(by_pandas[host]) != in_document.get(host, 0) or int(by_duckdb[host]) != in_document.get(host, 0):
                problems.append(f"interfaces {column} of {host}: pandas {int(by_pandas[host])}, "
                                f"DuckDB {int(by_duckdb[host])}, the document {in_document.get(host, 0)}")
    return problems


def main(arguments):
    checking = arguments[:1] == ["--check"]
    if checking:
        arguments = arguments[1:]
    if len(arguments) != 1 or not (Path(arguments[0]) / "interfaces").is_dir():
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(arguments[0])
    show(out)
    if checking:
        problems = check(out)
        for problem in problems:
            print("mismatch: " + problem, file=sys.stderr)
        if problems:
            return 1
        print("\nevery table has the document's rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
