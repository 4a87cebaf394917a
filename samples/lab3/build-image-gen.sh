#!/bin/bash
# build-image-gen.sh WORK IMG : install the lab's guest scripts plus the generator into WORK/rootfs/lab and make an ext4 image
set -e
HERE=$(cd "$(dirname "$0")" && pwd); WORK=$1; IMG=$2; R=$WORK/rootfs
cd "$WORK"; ./chroot-umount.sh
mkdir -p $R/lab/out; rm -rf $R/lab/out/*
cp guest/lib.sh guest/run-v2.sh $R/lab/
cp "$HERE"/guest/*.sh "$HERE"/guest/gen-plan.py $R/lab/
chmod +x $R/lab/*.sh $R/lab/gen-plan.py
rm -f "$IMG"; truncate -s 6G "$IMG"
mkfs.ext4 -q -F -L labroot -d $R "$IMG"
