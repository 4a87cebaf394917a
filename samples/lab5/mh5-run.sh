#!/bin/bash
# Host driver for the lab5 two-host recordings.
# usage: LAB=<lab recipe folder> mh5-run.sh SCENS TAG [SHIFT_S]     e.g. mh5-run.sh mhu,mhv r1 3.2
# Run it in a work folder (WORK, default: current dir) holding rootfs/ (made by the lab's multihost/make-rootfs.sh)
# and skb_drop_reason-6.1.176.json (made there by the lab's gen-dropreason.py).
# Steps: install the guest scripts into rootfs/lab, build two images, boot the pair (TCG), extract each guest's
# /lab/out, run the lab's postprocess.sh once per host into out/<scenario>/<host>/.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${LAB:?set LAB to the lab recipe folder}; WORK=${WORK:-$(pwd)}
SCENS=${1:-mhu,mhv}; TAG=${2:-r1}; SHIFT=${3:-3.2}
cd $WORK; mkdir -p logs out raw
mkdir -p rootfs/lab; grep -q " $WORK/rootfs/" /proc/mounts && { echo "rootfs has mounts (chroot-umount.sh first)"; exit 1; }
cp $LAB/guest/run.sh $LAB/guest/lib.sh $LAB/multihost/mh-lib.sh $LAB/multihost/ctl.py $LAB/multihost/clockprobe.py rootfs/lab/
cp $HERE/guest/mh5-lib.sh $HERE/guest/mh5-scen.sh $HERE/guest/scen-mh*.sh $HERE/guest/announce.py rootfs/lab/
chmod +x rootfs/lab/*.sh; rm -rf rootfs/lab/out; mkdir -p rootfs/lab/out
rm -f mh5-$TAG-A.img mh5-$TAG-B.img
truncate -s 5G mh5-$TAG-A.img && mkfs.ext4 -q -F -L labroot -d rootfs mh5-$TAG-A.img || exit 1
cp --sparse=always mh5-$TAG-A.img mh5-$TAG-B.img
echo "$(date -u +%T) boot $TAG ($SCENS, hostb clock shift $SHIFT s)"
SCENS=$SCENS WORK=$WORK $HERE/mh5-boot-pair.sh mh5-$TAG-A.img mh5-$TAG-B.img $TAG $SHIFT
echo "$(date -u +%T) pair ended"
for h in a b; do
  H=$(echo $h | tr a-z A-Z); host=host$h
  rm -rf raw/$TAG-$h; mkdir -p raw/$TAG-$h
  debugfs -R "rdump /lab/out raw/$TAG-$h" mh5-$TAG-$H.img 2>&1 | grep -v '^debugfs' | head
  pp=$WORK/pp-$h; rm -rf $pp; mkdir -p $pp
  cp $LAB/gt-summary.py $LAB/drop-summary.py $WORK/skb_drop_reason-6.1.176.json $pp/
  LAB=$pp bash $LAB/postprocess.sh raw/$TAG-$h
  for s in $(cd $pp/out && ls -d mh-*/ 2>/dev/null | tr -d /); do
    rm -rf out/$s/$host; mkdir -p out/$s
    mv $pp/out/$s out/$s/$host; rm -f $pp/out/$s.tar.gz
  done
  mkdir -p out/boot-$TAG/$host
  cp $pp/out/*.txt $pp/out/*.log raw/$TAG-$h/out/ctl.log raw/$TAG-$h/out/clockshift.json raw/$TAG-$h/out/scen-*.log out/boot-$TAG/$host/ 2>/dev/null
  cp logs/qemu-$TAG-$H.log out/boot-$TAG/$host/ 2>/dev/null
done
