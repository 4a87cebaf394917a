#!/bin/bash
# copy of postprocess-v2.sh: gt-summary.py through gt-summary-view.sh (per-namespace read-time files hidden). v2 (DST default out-v2; also runs v2-checks.py). Host-side: copy extracted guest outputs to the lab folder/out-v2/<scenario>/, add counts.txt / head.txt / event-samples.txt, tar each.
# usage: postprocess.sh <raw-extract-dir (contains out/)> [scenario ...]
LAB=${LAB:-$(cd "$(dirname "$0")" && pwd)}
set -u
RAW=${1:-$LAB/raw-out}; shift || true
DST=${DST:-$LAB/out-v2}
mkdir -p $DST
cp $RAW/out/guest-versions.txt $RAW/out/lttng-list-k.txt $RAW/out/guest-console.log $RAW/out/lsmod.txt $RAW/out/kallsyms.txt.gz $RAW/out/proc-modules.txt $DST/ 2>/dev/null
SCENS=${*:-$(cd $RAW/out && ls -d */ | tr -d /)}
for s in $SCENS; do
  [ -d $RAW/out/$s/trace ] || { echo "skip $s (no trace)"; continue; }
  rm -rf $DST/$s; mkdir -p $DST/$s
  cp -a $RAW/out/$s/. $DST/$s/
  for l in $RAW/out/scen-*.log; do grep -q "Session $s destroyed" $l && cp $l $DST/$s/guest-$(basename $l); done  # guest-side log of this scenario
  T=$DST/$s/trace
  babeltrace2 $T > /tmp/bt-$s.txt 2> $DST/$s/babeltrace2.stderr; rc=$?
  echo "babeltrace2 rc=$rc" >> $DST/$s/babeltrace2.stderr
  sed -E 's/^\[[^]]*\] \([^)]*\) [^ ]+ ([^:]+): .*/\1/' /tmp/bt-$s.txt | sort | uniq -c | sort -k1,1nr -k2 > $DST/$s/counts.txt
  echo "$(wc -l < /tmp/bt-$s.txt) TOTAL" >> $DST/$s/counts.txt
  head -200 /tmp/bt-$s.txt > $DST/$s/head.txt
  # one sample line per event name (first occurrence), for field inspection
  awk '{ n=$4; sub(/:$/,"",n); if (!(n in seen)) { seen[n]=1; print } }' /tmp/bt-$s.txt > $DST/$s/event-samples.txt
  if [ -f $RAW/out/kallsyms.txt.gz ]; then
    cp $RAW/out/kallsyms.txt.gz $RAW/out/proc-modules.txt $DST/$s/
    python3 $LAB/drop-summary.py /tmp/bt-$s.txt $RAW/out/kallsyms.txt.gz $LAB/skb_drop_reason-6.1.176.json > $DST/$s/drops-skb_kfree.txt
  fi
  cp $LAB/skb_drop_reason-6.1.176.json $DST/$s/
  $LAB/gt-summary-view.sh $DST/$s || echo "gt-summary failed for $s"  # the unchanged gt-summary.py, on a view without groundtruth/time-*.{begin,end}.ns
  python3 $LAB/v2-checks.py /tmp/bt-$s.txt $DST/$s || echo "v2-checks failed for $s"
  rm -f /tmp/bt-$s.txt
  (cd $DST && tar -czf $s.tar.gz $s)
  echo "$s: $(du -sh $T | cut -f1) trace, $(tail -1 $DST/$s/counts.txt)"
done
