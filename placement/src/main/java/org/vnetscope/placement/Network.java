package org.vnetscope.placement;

/**
 * A placement problem over a substrate: the problem's arrays, the substrate's, and each demand's binned series as
 * the links take their percentile of. With no time bins, the window is one bin, so a link's load is then the mean
 * rate over the window; a demand without a series among demands with one is taken as steady over the bins.
 */
final class Network {

    final Instance instance;
    final Topology topology;
    final int bins;
    final long binNs;
    final long[][] series;
    /** Each demand's own p95 rate, in bits/s: what it needs of every link it crosses. */
    final long[] demandBps;
    /** Each VM's demands, the fastest first: the order a moved VM's traffic is routed in. */
    final int[][] demandsByRate;

    Network(Instance instance, Topology topology) {
        this(instance, topology, null);
    }

    /**
     * A part of a problem, binned as the whole (its network given): a part none of whose demands has a series
     * still has the whole's bins, its demands steady over them.
     */
    Network(Instance instance, Topology topology, Network whole) {
        this.instance = instance;
        this.topology = topology;
        int demands = instance.demands();
        series = new long[demands][];
        if (demands == 0) {
            // nothing to route: any bin width gives empty links
            bins = 1;
            binNs = Math.max(1, instance.problem.windowNs());
        } else if (instance.bins > 0) {
            bins = instance.bins;
            binNs = instance.binNs;
            for (int d = 0; d < demands; d++) {
                series[d] = instance.demandBins[d] != null ? instance.demandBins[d] : steady(instance.demandBytes[d], bins);
            }
        } else if (whole != null && whole.instance.bins > 0) {
            bins = whole.bins;
            binNs = whole.binNs;
            for (int d = 0; d < demands; d++) {
                series[d] = steady(instance.demandBytes[d], bins);
            }
        } else if (instance.problem.windowNs() > 0) {
            bins = 1;
            binNs = instance.problem.windowNs();
            for (int d = 0; d < demands; d++) {
                series[d] = new long[] {instance.demandBytes[d]};
            }
        } else {
            throw new IllegalArgumentException("the traffic has neither time bins nor a known window: link loads "
                    + "cannot be computed");
        }
        demandBps = new long[demands];
        for (int d = 0; d < demands; d++) {
            demandBps[d] = bitsPerSecond(Instance.p95(series[d]));
        }
        demandsByRate = new int[instance.vms()][];
        for (int v = 0; v < instance.vms(); v++) {
            demandsByRate[v] = java.util.Arrays.stream(instance.demandsOf[v]).boxed()
                    .sorted((x, y) -> demandBps[x] != demandBps[y] ? Long.compare(demandBps[y], demandBps[x])
                            : Integer.compare(x, y))
                    .mapToInt(Integer::intValue).toArray();
        }
    }

    long bitsPerSecond(long binBytes) {
        return (long) (binBytes * 8.0 * 1e9 / binNs);
    }

    private static long[] steady(long bytes, int bins) {
        long[] spread = new long[bins];
        for (int i = 0; i < bins; i++) {
            spread[i] = bytes / bins + (i < bytes % bins ? 1 : 0);
        }
        return spread;
    }
}
