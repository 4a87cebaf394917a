#!/bin/bash
# Host driver for the two-host NIC-model recordings.
# usage: LAB=<lab recipe folder> nic-run.sh MODEL SCEN_NUMBERS TAG      e.g. nic-run.sh e1000 4,5 e1000
# Run it in a work folder (WORK, default: current dir) holding rootfs/ (the guest root file system made by
# the lab's multihost/make-rootfs.sh) and skb_drop_reason-6.1.176.json (made by the lab's gen-dropreason.py).
# Steps: install guest scripts into rootfs/lab, build two images, wait until no other qemu-system runs,
# boot the pair (TCG), extract each guest's /lab/out, postprocess each host into out/<scenario>/<host>/.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${LAB:?set LAB to the lab recipe folder}; WORK=${WORK:-$(pwd)}
MODEL=${1:?model}; NUMS=${2:?scenario numbers}; TAG=${3:-$MODEL}
cd $WORK; mkdir -p logs out raw
SCENS=$(echo $NUMS | tr ',' '\n' | sed 's/^/nic/' | paste -sd,)
# 1. guest side
cp $LAB/guest/run.sh $LAB/guest/lib.sh $LAB/multihost/mh-lib.sh $LAB/multihost/ctl.py $LAB/multihost/clockprobe.py rootfs/lab/
cp $HERE/guest/nic-lib.sh $HERE/guest/nic-scen.sh $HERE/guest/scen-nic*.sh rootfs/lab/
chmod +x rootfs/lab/*.sh; rm -rf rootfs/lab/out; mkdir -p rootfs/lab/out
# 2. images (ext4 from rootfs, as the lab's build-image.sh; B is a sparse copy of A)
rm -f nic-$TAG-A.img nic-$TAG-B.img
truncate -s 5G nic-$TAG-A.img && mkfs.ext4 -q -F -L labroot -d rootfs nic-$TAG-A.img || exit 1
cp --sparse=always nic-$TAG-A.img nic-$TAG-B.img
# 3. never more than one pair at a time, and only when no other guest runs
while pgrep -f '^(timeout [0-9]+ )?qemu-system' >/dev/null; do echo "$(date -u +%T) other qemu running, waiting"; sleep 30; done
# 4. boot
echo "$(date -u +%T) boot $TAG ($MODEL, $SCENS)"
DATA_NIC=$MODEL SCENS=$SCENS WORK=$WORK $HERE/nic-boot-pair.sh nic-$TAG-A.img nic-$TAG-B.img $TAG
echo "$(date -u +%T) pair ended"
# 5. extract + postprocess (lab's postprocess.sh, one staging folder per host)
for h in A B; do
  host=host$h
  rm -rf raw/$TAG-$h; mkdir -p raw/$TAG-$h
  debugfs -R "rdump /lab/out raw/$TAG-$h" nic-$TAG-$h.img 2>&1 | grep -v '^debugfs' | head
  pp=$WORK/pp-$h; rm -rf $pp; mkdir -p $pp
  cp $LAB/gt-summary.py $LAB/drop-summary.py $WORK/skb_drop_reason-6.1.176.json $pp/
  LAB=$pp bash $LAB/postprocess.sh raw/$TAG-$h
  for s in $(cd $pp/out && ls -d nic*/ 2>/dev/null | tr -d /); do
    rm -rf out/$s/$host; mkdir -p out/$s
    mv $pp/out/$s out/$s/$host; mv $pp/out/$s.tar.gz out/$s/$host.tar.gz
  done
  mkdir -p out/boot-$TAG/$host
  cp $pp/out/*.txt $pp/out/*.log $pp/out/*.gz raw/$TAG-$h/out/ctl.log out/boot-$TAG/$host/ 2>/dev/null
  cp logs/qemu-$TAG-$h.log out/boot-$TAG/$host/ 2>/dev/null
done
