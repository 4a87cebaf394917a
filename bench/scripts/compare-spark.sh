#!/usr/bin/env bash
# How `vnetscope analyze` scales on Spark: local[1] against local[2] (or --masters), beside the single-process
# command line, on the same set of hosts' traces (bench/scripts/make-host-set.py makes one). Runs each RUNS times,
# alternating, and prints the medians of the whole run's wall time and of its phases as the process reports them
# (-Dvnetscope.timings=true): Spark's session start-up apart from its job (and the sum of its tasks' times: when it
# grows with the task threads, they are sharing cores), and the every-host step on the driver.
# First checks that each engine's document is the command line's, byte for byte.
#
# usage: bench/scripts/compare-spark.sh [--runs N] [--masters 'local[1] local[2]'] TRACE_SET
set -euo pipefail
runs=5
masters='local[1] local[2]'
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --masters) masters=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--runs N] [--masters 'local[1] local[2]'] TRACE_SET" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
set_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cli=("$repo/vnetscope" analyze --format json "$set_dir")
"${cli[@]}" > "$work/cli.json"
for master in $masters; do
  "$repo/vnetscope" analyze --engine spark --master "$master" --format json "$set_dir" > "$work/spark.json" 2>/dev/null
  cmp -s "$work/cli.json" "$work/spark.json" || { echo "Spark $master's document differs from the command line's" >&2; exit 1; }
done
echo "documents: Spark's equal the command line's ($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["hosts"]))' "$work/cli.json") hosts)"

# One run: "NAME wall_ms phase=ms ..." appended to the results file.
measure() {
  local name=$1; shift
  local started ended
  started=$(date +%s%N)
  VNETSCOPE_JAVA_OPTS=-Dvnetscope.timings=true "$@" > /dev/null 2> "$work/err"
  ended=$(date +%s%N)
  {
    printf '%s wall=%d' "$name" $(((ended - started) / 1000000))
    awk 'BEGIN { tasks = 0; sum = 0 }
      /^vnetscope: time: task / { tasks++; sum += $(NF - 1); next }
      END { if (tasks > 0) printf " task_sum=%s", sum }
      /^vnetscope: time: / {
        key = ""
        if (index($0, "spark session") > 0) key = "session"
        else if (index($0, "spark job") > 0) key = "job"
        else if (index($0, "every-host step") > 0) key = "every_host"
        else if (index($0, "analyses on") > 0) key = "analyses"
        if (key != "") printf " %s=%s", key, $(NF - 1)
      }' "$work/err"
    echo
  } >> "$work/results"
}

loads=()
for ((i = 0; i < runs; i++)); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  measure cli "${cli[@]}"
  for master in $masters; do
    measure "spark-$master" "$repo/vnetscope" analyze --engine spark --master "$master" --format json "$set_dir"
  done
done

echo "runs: $runs, load average $(printf '%s\n' "${loads[@]}" | sort -n | head -1) to $(printf '%s\n' "${loads[@]}" | sort -n | tail -1)"
python3 - "$work/results" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, *fields = line.split()
    for field in fields:
        key, value = field.split('=')
        rows.setdefault(name, {}).setdefault(key, []).append(float(value))
phases = ['wall', 'session', 'job', 'task_sum', 'analyses', 'every_host']
print('%-16s' % 'median ms' + ''.join('%12s' % p for p in phases))
for name, values in rows.items():
    print('%-16s' % name + ''.join('%12s' % ('%.0f' % statistics.median(values[p]) if p in values else '-')
                                   for p in phases))
jobs = {name: statistics.median(v['job']) for name, v in rows.items() if 'job' in v}
names = list(jobs)
for first, second in zip(names, names[1:]):
    print(f'job speed-up {first} -> {second}: {jobs[first] / jobs[second]:.2f}x '
          f'(each run: {", ".join("%.0f" % v for v in rows[first]["job"])} vs '
          f'{", ".join("%.0f" % v for v in rows[second]["job"])} ms)')
EOF
