#!/usr/bin/env bash
# How the data source's packets table scales on Spark: a query over a trace's packets (PacketsQuery.java: packets
# and bytes per interface and direction) on local[1] and local[2] (or --masters), each in a JVM of its own started
# --runs times, alternating; each JVM runs the query --queries times (the first warms the JIT up). Prints every
# run's line (session start-up, time parts, totals: the same on every master, queries' seconds) and the median
# of the warm queries (all but each JVM's first) per master.
#
# usage: bench/scripts/compare-spark-packets.sh [--runs N] [--queries N] [--masters 'local[1] local[2]'] TRACE...
set -euo pipefail
runs=3
queries=4
masters='local[1] local[2]'
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --masters) masters=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [--runs N] [--queries N] [--masters 'local[1] local[2]'] TRACE..." >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
classpath_file="$repo/spark/target/spark-classpath.txt"
if [ ! -f "$classpath_file" ] || [ ! -f "$repo/cli/target/vnetscope.jar" ] \
    || [ ! -f "$repo/spark/target/vnetscope-spark-classes.jar" ]; then
  (cd "$repo" && mvn -q -B -DskipTests -pl cli,spark -am package)
fi
classpath="$repo/cli/target/vnetscope.jar:$repo/spark/target/vnetscope-spark-classes.jar:$(cat "$classpath_file")"
# what Spark needs opened on Java 17 (spark/pom.xml)
read -r -a opens < <(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' "$repo/spark/pom.xml")
export SPARK_LOCAL_IP=127.0.0.1
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((i = 0; i < runs; i++)); do
  for master in $masters; do
    line=$(java -Xss8m "${opens[@]}" -cp "$classpath" "$repo/bench/scripts/PacketsQuery.java" "$master" "$queries" \
      "$@" 2>/dev/null | grep -F "$master startup")
    echo "$line"
    echo "$line" >> "$results"
  done
done
for master in $masters; do
  grep -F "$master startup" "$results" | sed 's/.*query s: //' | cut -d' ' -f2- | tr ' ' '\n' | sort -n \
    | awk -v m="$master" '{v[NR]=$1} END {printf "%s median warm query %.2f s (%d queries)\n", m, (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2, NR}'
done
