#!/bin/bash
# make-gen.sh - record randomized LTTng kernel traces with ground truth using the lab recipe (scenario generator, "lab3").
# usage: [LAB=path/to/lab] [WORK=dir] [FRESH=1] ./make-gen.sh SEED BOOTPLAN
#   SEED      : generator seed (integer)
#   BOOTPLAN  : comma-separated boots, each a lab.gen value: START:COUNT, or ranges / single indexes joined by '+';
#               the first boot also runs the 3 fixed scenarios. e.g. 0:21,21:29 = boot 1: vlan-floodup, replug, idle + g00..g20;
#               boot 2: g21..g49. A later boot may re-record earlier indexes (e.g. 0+5+10): the newest recording wins in out-gen/
#   LAB   : the lab recipe (read-only is fine; default ../../../shared/lab relative to this script's folder)
#   WORK  : writable scratch folder (default ${TMPDIR:-/tmp}/vnetscope-lab3; several GB): recipe copy, rootfs/, images, raw extracts, out-gen/
#   FRESH=1 rebuilds the guest root file system from scratch (debootstrap, packages, patched lttng-modules + bridge probe)
# Environment for the boots: QEMU_TIMEOUT (s, default 2400 per boot).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${LAB:-$HERE/../../../shared/lab}; LAB=$(cd "$LAB" && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/vnetscope-lab3}
SEED=${1:?seed}; BOOTPLAN=${2:-0:21,21:29}
step() { STEP_T0=$(date +%s); echo "=== $(date -u +%T) $*"; }
done_step() { echo "    ($(( $(date +%s) - STEP_T0 )) s)"; }
mkdir -p "$WORK"
if [ "$(cd "$WORK" && pwd)" != "$LAB" ]; then
  # writable copy of the recipe (scripts only; rootfs/ of an earlier run is kept)
  (cd "$LAB" && find . -maxdepth 2 \( -name rootfs -o -name 'rootfs-*' -o -name '*.img' -o -name 'out*' -o -name 'raw*' \) -prune -o -type f -print) |
    while read -r f; do mkdir -p "$WORK/$(dirname "$f")"; cp -f "$LAB/$f" "$WORK/$f"; done
  chmod -R u+w "$WORK"
fi
# the post-processing that hides the per-namespace read times from the recipe's gt-summary.py
cp -f "$HERE/gt-summary-view.sh" "$HERE/postprocess-v2-snap.sh" "$WORK/"
cd "$WORK"; mkdir -p logs-gen
if [ "${FRESH:-0}" = 1 ] || [ ! -x rootfs/usr/bin/lttng ]; then
  step "rootfs (multihost/make-rootfs.sh: debootstrap, kernel, lttng-modules + bridge probe, python3, ethtool, arping)"
  cp multihost/make-rootfs.sh . && FRESH=1 ./make-rootfs.sh > logs-gen/make-rootfs.out 2>&1
  tail -3 logs-gen/make-rootfs.out; done_step
fi
command -v babeltrace2 >/dev/null || { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y babeltrace2 >/dev/null; }
n=0
for b in ${BOOTPLAN//,/ }; do
  n=$((n+1)); TAG=gen$n; FIXED=0; [ $n = 1 ] && FIXED=1
  step "boot $TAG: seed $SEED, generated $b, fixed $FIXED"
  "$HERE/build-image-gen.sh" "$WORK" "$WORK/lab-$TAG.img"
  "$HERE/boot-gen.sh" "$WORK" "$WORK/lab-$TAG.img" $TAG "lab.scen=G lab.seed=$SEED lab.gen=$b lab.fixed=$FIXED lab.boot=$TAG" || echo "boot $TAG rc=$?"
  done_step
  step "extract + postprocess $TAG"
  "$HERE/extract-post-gen.sh" "$WORK" $TAG
  done_step
done
python3 "$HERE/gen-summary.py" "$WORK/out-gen" > "$WORK/out-gen/SUMMARY.md"
echo "=== done $(date -u +%T): $WORK/out-gen"
