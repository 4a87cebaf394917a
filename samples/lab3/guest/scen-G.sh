#!/bin/bash
# Scenario generator driver, run by run-v2.sh as /lab/scen-G.sh (kernel command line lab.scen=G).
# Kernel command line: lab.seed=SEED lab.gen=START:COUNT[+START:COUNT|+INDEX...] lab.fixed=0|1 lab.boot=TAG
#   lab.fixed=1 first runs the fixed scenarios vlan-floodup, replug, idle (lab.fixed=NAME+NAME..., e.g. replug+idle: only those);
#   then the generated scenarios START..START+COUNT-1.
# Each scenario runs in its own bash (timeout 300 s) with output in /lab/out/scen-<name>.log; one line per scenario goes to
# /lab/out/gen-run-summary.jsonl.
. /lab/lib.sh; . /lab/gen-lib.sh
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
SEED=$(arg lab.seed); SEED=${SEED:-1}
GEN=$(arg lab.gen); GEN=${GEN:-0:42}
FIXED=$(arg lab.fixed); FIXED=${FIXED:-1}
BOOT=$(arg lab.boot); BOOT=${BOOT:-boot}
PL=$OUTROOT/plans; mkdir -p $PL
NAMES=()
case $FIXED in 0) ;; 1) NAMES+=(vlan-floodup replug idle);; *) NAMES+=(${FIXED//+/ });; esac
# lab.gen: START:COUNT, or several ranges / single indexes joined by '+' (e.g. 0:3+10+15)
for g in ${GEN//+/ }; do
  case $g in *:*) NAMES+=($(python3 /lab/gen-plan.py $SEED ${g%:*} ${g#*:} $PL));; *) NAMES+=($(python3 /lab/gen-plan.py $SEED $g 1 $PL));; esac
done
echo "boot $BOOT seed $SEED gen $GEN fixed $FIXED: ${#NAMES[@]} scenarios"
for n in "${NAMES[@]}"; do
  case $n in vlan-floodup|replug|idle) P=/lab/fixed-$n.sh;; *) P=$PL/$n.sh;; esac
  t0=$(now_ns); echo "--- $n start $(date -u +%T)" | tee /dev/console
  timeout 300 bash -c ". /lab/lib.sh; . /lab/gen-lib.sh; . $P" > $OUTROOT/scen-$n.log 2>&1
  rc=$?
  if [ $rc != 0 ]; then  # clean up after a failed/hung scenario
    lttng destroy $n >/dev/null 2>&1; g_teardown >/dev/null 2>&1
  fi
  t1=$(now_ns)
  disc=$(jq -r '.lttng.discarded_events_reported_by_lttng // "n/a"' $OUTROOT/$n/scenario.json 2>/dev/null)
  tb=$(du -sb $OUTROOT/$n/trace 2>/dev/null | cut -f1)
  jq -cn --arg b $BOOT --arg n $n --argjson s $SEED --argjson rc $rc --argjson t0 $t0 --argjson t1 $t1 --arg d "${disc:-n/a}" --arg tb "${tb:-0}" \
    '{boot:$b, scenario:$n, seed:$s, rc:$rc, start_ns:$t0, end_ns:$t1, seconds:(($t1-$t0)/1e9|floor), discarded_events:$d, trace_bytes:($tb|tonumber)}' >> $OUTROOT/gen-run-summary.jsonl
  echo "--- $n rc=$rc $(( (t1-t0)/1000000000 )) s trace=${tb:-0} B discarded=$disc" > /dev/console
  echo "--- $n rc=$rc $(( (t1-t0)/1000000000 )) s trace=${tb:-0} B discarded=$disc"
  cp $P $OUTROOT/$n/plan.sh 2>/dev/null
  [ -f $PL/$n.json ] && cp $PL/$n.json $OUTROOT/$n/generator-params.json
  sync
done
