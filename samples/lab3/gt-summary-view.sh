#!/bin/bash
# gt-summary-view.sh SCENARIO_DIR : run the lab's unchanged gt-summary.py on a view of SCENARIO_DIR without the per-namespace
# read-time files groundtruth/time-*.begin.ns / time-*.end.ns (gt-summary.py takes every groundtruth/time-*.ns as a snapshot
# tag, so they would become bogus snapshots "TAG-NETNS.begin"/".end", the last of which would be taken for the post snapshot);
# the resulting groundtruth-summary.json goes to SCENARIO_DIR.
LAB=${LAB:-$(cd "$(dirname "$0")" && pwd)}
D=$(cd "$1" && pwd); V=$(mktemp -d); mkdir -p $V/s/groundtruth
for f in scenario.json flows.jsonl; do ln -s $D/$f $V/s/$f; done
for f in $D/groundtruth/*; do case $f in *.begin.ns|*.end.ns) ;; *) ln -s $f $V/s/groundtruth/; esac; done
python3 $LAB/gt-summary.py $V/s > /dev/null && cp $V/s/groundtruth-summary.json $D/groundtruth-summary.json; rc=$?
rm -rf $V; exit $rc
