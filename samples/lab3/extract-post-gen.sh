#!/bin/bash
# extract-post-gen.sh WORK TAG : extract /lab/out of lab-TAG.img (debugfs rdump, no mount) to WORK/raw-TAG and post-process every
# scenario with postprocess-v2-snap.sh (the lab's postprocess-v2.sh, its gt-summary.py run on a view without the
# snapshots' per-namespace read times) into WORK/out-gen/<scenario>/ (+ <scenario>.tar.gz); per-boot files to out-gen/boots/TAG/
WORK=$1; TAG=$2
cd "$WORK"
rm -rf raw-$TAG; mkdir -p raw-$TAG
debugfs -R "rdump /lab/out raw-$TAG" lab-$TAG.img 2>&1 | grep -v "^debugfs" | head
B=out-gen/boots/$TAG; mkdir -p $B
cp raw-$TAG/out/{guest-versions.txt,lttng-list-k.txt,guest-console.log,lsmod.txt,kallsyms.txt.gz,proc-modules.txt,gen-run-summary.jsonl,scen-G.log} $B/ 2>/dev/null
cp logs-gen/qemu-$TAG.log $B/qemu-console.log 2>/dev/null
cp -r raw-$TAG/out/plans $B/ 2>/dev/null
SCENS=$(cd raw-$TAG/out && ls -d */ | tr -d / | grep -v '^plans$')
DST=$WORK/out-gen LAB=$WORK ./postprocess-v2-snap.sh raw-$TAG $SCENS 2>&1 | tee logs-gen/postprocess-$TAG.log
for s in $SCENS; do [ -d out-gen/$s ] && echo $TAG > out-gen/$s/boot.txt; done
