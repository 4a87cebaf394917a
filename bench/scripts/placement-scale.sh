#!/bin/sh
# The placement solver at scale (bench/README.md, "Placement at scale"): 200 VMs x 20 hosts (1 and 10 s, and two
# 60 s runs that go on until their time is up, for the best known) and 1,000 VMs x 100 hosts (1, 10, 30 and 60 s,
# and one such 180 s run), five seeds each, each size in its own JVM under -Xmx512m with a GC log. About 40 minutes.
# Usage: bench/scripts/placement-scale.sh [OUTPUT_DIR]   (default: placement-scale-out)
# Extra arguments for both sizes can be given in PLACEMENT_SCALE_ARGS (e.g. "--seeds 0 --limits 1,10 --long 0").
set -eu
cd "$(dirname "$0")/../.."
out=${1:-placement-scale-out}
mkdir -p "$out"
jar=bench/target/benchmarks.jar
if [ ! -f "$jar" ]; then
    mvn -B -q -pl bench -am package -DskipTests
fi
run() {
    name=$1
    shift
    java -Xmx512m -Xlog:gc:file="$out/gc-$name.log" -cp "$jar" org.vnetscope.bench.PlacementScale "$@" \
        ${PLACEMENT_SCALE_ARGS:-} | tee "$out/$name.txt"
    # peak heap occupancy seen by the collector: the largest "before" of a collection's "before->after(size)"
    sed -n 's/.* \([0-9]*\)M->[0-9]*M([0-9]*M).*/\1/p' "$out/gc-$name.log" | sort -n | tail -1 |
        sed 's/^/# GC log: largest heap before a collection (MiB): /'
}
run 200x20 --vms 200 --hosts 20 --seeds 0,1,2,3,4 --limits 1,10 --long 60 --long-runs 2
run 1000x100 --vms 1000 --hosts 100 --seeds 0,1,2,3,4 --limits 1,10,30,60 --long 180
