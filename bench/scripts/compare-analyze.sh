#!/usr/bin/env bash
# Whole-process time of `vnetscope analyze` on one thread and on two (the trace read ahead on a thread of its own)
# beside `babeltrace2 -o dummy` on the same trace, JVM start-up included. Runs the three RUNS times, alternating,
# and prints each one's median wall and CPU (user + sys) times, the load average seen, and the ratios. Before each
# two-thread run it measures how long a cache line takes between two cores (bench CoreLatency, when the bench jar
# is built): on a virtual machine that changes from minute to minute and decides the two-thread figures, so they are
# also given by the kind of core pair they ran on.
#
# usage: bench/scripts/compare-analyze.sh [--runs N] [--threads N] TRACE
#   --threads N: the threads of the second vnetscope run (default 2)
set -euo pipefail
runs=5
threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--runs N] [--threads N] TRACE" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/../.." && pwd)
command -v babeltrace2 >/dev/null || { echo "babeltrace2 is not installed (apt-get install babeltrace2)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed for CPU times (apt-get install time)" >&2; exit 1; }

one=("$repo/vnetscope" analyze --format json --threads 1 "$1")
two=("$repo/vnetscope" analyze --format json --threads "$threads" "$1")
theirs=(babeltrace2 "$1" -o dummy)

# One untimed run of each first: builds the jar and its class data archive when missing, brings the trace into
# the page cache; and the two documents must be the same.
cmp -s <("${one[@]}") <("${two[@]}") || { echo "the documents of 1 and $threads threads differ" >&2; exit 1; }
"${theirs[@]}" >/dev/null 2>&1 || true

times=$(mktemp)
trap 'rm -f "$times"' EXIT
# Prints "WALL_MS CPU_MS LOAD" of one run of the command.
measure() {
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -o "$times" -f "%e %U %S" "$@" >/dev/null
  awk -v load="$load" '{printf "%d %d %s\n", $1 * 1000, ($2 + $3) * 1000, load}' "$times"
}
bench_jar="$repo/bench/target/benchmarks.jar"
# Prints the round trip of a cache line between two threads now, in ns ("-" without the bench jar).
core_latency() {
  if [ -f "$bench_jar" ]; then java -cp "$bench_jar" org.vnetscope.bench.CoreLatency 2>/dev/null || echo -; else echo -; fi
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

declare -A wall cpu
loads=()
pairs=()
for ((i = 0; i < runs; i++)); do
  for name in one two theirs; do
    declare -n command=$name
    [ "$name" = two ] && latency=$(core_latency)
    read -r w c l < <(measure "${command[@]}")
    wall[$name]+="$w "; cpu[$name]+="$c "; loads+=("$l")
    [ "$name" = two ] && pairs+=("$latency $w $c")
  done
done
echo "runs: $runs, load average $(printf '%s\n' "${loads[@]}" | sort -n | head -1) to $(printf '%s\n' "${loads[@]}" | sort -n | tail -1)"
for name in one two theirs; do
  label=$([ "$name" = one ] && echo "analyze, 1 thread " || { [ "$name" = two ] && echo "analyze, $threads threads" || echo "babeltrace2 -o dummy"; })
  echo "$label wall ms: ${wall[$name]}; cpu ms: ${cpu[$name]}"
done
w1=$(tr ' ' '\n' <<<"${wall[one]}" | grep . | median); c1=$(tr ' ' '\n' <<<"${cpu[one]}" | grep . | median)
w2=$(tr ' ' '\n' <<<"${wall[two]}" | grep . | median); c2=$(tr ' ' '\n' <<<"${cpu[two]}" | grep . | median)
wt=$(tr ' ' '\n' <<<"${wall[theirs]}" | grep . | median); ct=$(tr ' ' '\n' <<<"${cpu[theirs]}" | grep . | median)
awk -v w1="$w1" -v c1="$c1" -v w2="$w2" -v c2="$c2" -v wt="$wt" -v ct="$ct" -v n="$threads" 'BEGIN {
  printf "median wall / cpu: 1 thread %.0f / %.0f ms, %d threads %.0f / %.0f ms, babeltrace2 %.0f / %.0f ms\n", w1, c1, n, w2, c2, wt, ct
  printf "wall ratios: babeltrace2 / %d threads %.2fx, 1 thread / %d threads %.2fx\n", n, wt / w2, n, w1 / w2 }'
if [ -f "$bench_jar" ]; then
  echo "$threads-thread runs by the cache line's round trip between two cores just before (ns: wall ms / cpu ms):"
  printf '  %s\n' "${pairs[@]}" | sort -n | awk '{printf "  %s ns: %s / %s\n", $1, $2, $3}'
  # each kind of core pair: its runs' median wall (the script's median), and babeltrace2's against it
  for kind in "0 50 two hardware threads of one core (< 50 ns)" "50 150 cores sharing a cache (50-150 ns)" \
      "150 999999 cores not sharing a cache (>= 150 ns)"; do
    read -r low high label <<<"$kind"
    walls=$(printf '%s\n' "${pairs[@]}" | awk -v low="$low" -v high="$high" '$1 != "-" && $1 >= low && $1 < high { print $2 }')
    [ -n "$walls" ] || continue
    awk -v label="$label" -v n="$(wc -l <<<"$walls")" -v med="$(median <<<"$walls")" -v wt="$wt" \
      'BEGIN { printf "  %s: %d runs, median wall %.0f ms, babeltrace2 / it %.2fx\n", label, n, med, wt / med }'
  done
fi
