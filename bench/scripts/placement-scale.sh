#!/bin/sh
# The placement solver at scale (bench/README.md, "Placement at scale"): 200 VMs x 20 hosts and 1,000 VMs x 100
# hosts, three seeds each, 1, 10 and 60 s time limits, each size in its own JVM under -Xmx512m with a GC log.
# Usage: bench/scripts/placement-scale.sh [OUTPUT_DIR]   (default: placement-scale-out)
# Extra arguments for both sizes can be given in PLACEMENT_SCALE_ARGS (e.g. "--seeds 0 --limits 1,10").
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
run 200x20 --vms 200 --hosts 20 --exact
run 1000x100 --vms 1000 --hosts 100
