#!/usr/bin/env bash
# Whole-process time of vnetscope beside babeltrace2 on the same trace(s), JVM start-up included.
# Runs each tool RUNS times, alternating, and prints the median wall and CPU (user + sys) times and their ratios.
#
# usage: bench/scripts/compare-babeltrace.sh [--runs N] [--threads N] [--text] TRACE_OR_FOLDER...
#   default: decoding only, `vnetscope dump --decode-only` against `babeltrace2 -o dummy`
#   --threads N: vnetscope's decoding threads (default: its own choice, the processors available)
#   --text:  the text dump, `vnetscope dump --clock-gmt` against `babeltrace2 --clock-gmt`, both to /dev/null
set -euo pipefail
runs=5
text=0
threads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --threads) threads=(--threads "$2"); shift 2 ;;
    --text) text=1; shift ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: $0 [--runs N] [--threads N] [--text] TRACE_OR_FOLDER..." >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
command -v babeltrace2 >/dev/null || { echo "babeltrace2 is not installed (apt-get install babeltrace2)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed for CPU times (apt-get install time)" >&2; exit 1; }

if [ "$text" = 1 ]; then
  ours_command=("$repo/vnetscope" dump --clock-gmt "$@")
  theirs_command=(babeltrace2 --clock-gmt "$@")
else
  ours_command=("$repo/vnetscope" dump --decode-only ${threads[@]+"${threads[@]}"} "$@")
  theirs_command=(babeltrace2 "$@" -o dummy)
fi

# One untimed run of each first: builds the jar and its class data archive when missing (as a user's first run
# does once), and brings the trace into the page cache for both tools alike.
"${ours_command[@]}" >/dev/null
"${theirs_command[@]}" >/dev/null 2>&1 || true

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
times=$(mktemp)
trap 'rm -f "$times"' EXIT
# Prints "WALL_MS CPU_MS" of one run of the command.
measure() {
  /usr/bin/time -o "$times" -f "%e %U %S" "$@" >/dev/null
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$times"
}

ours_wall=(); ours_cpu=(); theirs_wall=(); theirs_cpu=()
for ((i = 0; i < runs; i++)); do
  read -r wall cpu < <(measure "${ours_command[@]}"); ours_wall+=("$wall"); ours_cpu+=("$cpu")
  read -r wall cpu < <(measure "${theirs_command[@]}"); theirs_wall+=("$wall"); theirs_cpu+=("$cpu")
done
[ "$text" = 1 ] || echo "vnetscope: $("${ours_command[@]}")"
echo "runs: $runs"
echo "vnetscope   wall ms: ${ours_wall[*]}; cpu ms: ${ours_cpu[*]}"
echo "babeltrace2 wall ms: ${theirs_wall[*]}; cpu ms: ${theirs_cpu[*]}"
ow=$(printf '%s\n' "${ours_wall[@]}" | median); oc=$(printf '%s\n' "${ours_cpu[@]}" | median)
tw=$(printf '%s\n' "${theirs_wall[@]}" | median); tc=$(printf '%s\n' "${theirs_cpu[@]}" | median)
awk -v ow="$ow" -v oc="$oc" -v tw="$tw" -v tc="$tc" 'BEGIN {
  printf "median wall: vnetscope %.0f ms, babeltrace2 %.0f ms: ratio %.2fx\n", ow, tw, tw / ow
  printf "median cpu:  vnetscope %.0f ms, babeltrace2 %.0f ms: ratio %.2fx\n", oc, tc, tc / oc }'
