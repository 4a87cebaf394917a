#!/usr/bin/env bash
# Whole-process decode time of vnetscope beside babeltrace2 on the same trace(s), JVM start-up included.
# Runs each tool RUNS times, alternating, and prints the medians and their ratio.
#
# usage: bench/scripts/compare-babeltrace.sh [--runs N] TRACE_OR_FOLDER...
set -euo pipefail
runs=5
if [ "${1:-}" = "--runs" ]; then runs=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: $0 [--runs N] TRACE_OR_FOLDER..." >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
command -v babeltrace2 >/dev/null || { echo "babeltrace2 is not installed (apt-get install babeltrace2)" >&2; exit 1; }
"$repo/vnetscope" --version >/dev/null   # builds the jar when missing, outside the timed runs

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

ours=(); theirs=()
for ((i = 0; i < runs; i++)); do
  t0=$(now); "$repo/vnetscope" dump --decode-only "$@" >/tmp/vnetscope-bench.out; t1=$(now)
  babeltrace2 "$@" -o dummy; t2=$(now)
  ours+=($(( (t1 - t0) / 1000000 ))); theirs+=($(( (t2 - t1) / 1000000 )))
done
ours_median=$(printf '%s\n' "${ours[@]}" | median)
theirs_median=$(printf '%s\n' "${theirs[@]}" | median)
echo "vnetscope: $(cat /tmp/vnetscope-bench.out)"
echo "runs: $runs; vnetscope ms: ${ours[*]}; babeltrace2 ms: ${theirs[*]}"
awk -v a="$ours_median" -v b="$theirs_median" \
  'BEGIN {printf "median vnetscope %.0f ms, babeltrace2 %.0f ms: vnetscope is %.1fx faster\n", a, b, b / a}'
