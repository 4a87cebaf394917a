package org.vnetscope.placement;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A placement problem in arrays: hosts and VMs by index, demands merged per unordered pair, each VM's demands
 * listed, sizes in integers (milli-vCPUs, MiB). Every search and every evaluation works on this.
 */
final class Instance {

    /** Time bins beyond which the demands' series are merged in pairs: a percentile over more is no better. */
    static final int MAX_BINS = 2048;

    final PlacementProblem problem;
    final String[] hostNames;
    final long[] hostCpu;
    final long[] hostMemory;
    final long[] hostNicBps;
    final String[] vmNames;
    final long[] vmCpu;
    final long[] vmMemory;
    /** Host index each VM is on now, -1 when none. */
    final int[] current;
    /** Host index each VM must be on, -1 when free to move. */
    final int[] pinned;
    final int[] demandA;
    final int[] demandB;
    final long[] demandBytes;
    /** Bytes per bin per demand; a row is null when the demand has no bins. */
    final long[][] demandBins;
    /** Demand indices touching each VM. */
    final int[][] demandsOf;
    /** Per VM, the sum of its demands' series (what its NIC load would be alone among strangers); null without. */
    final long[][] vmSeries;
    /**
     * Per VM, the largest bin of the sum of its demands' series taken positive: no move of the VM can raise any bin
     * of either host's NIC series by more.
     */
    final long[] vmPeakBinBytes;
    /** Per host, the most bytes a bin may carry within the NIC's capacity; Long.MAX_VALUE when not checked. */
    final long[] nicCapacityBinBytes;
    final int bins;
    final long binNs;
    final int maxMoves;
    final Map<String, Integer> hostIndex = new HashMap<>();
    final Map<String, Integer> vmIndex = new HashMap<>();

    Instance(PlacementProblem problem) {
        this.problem = problem;
        int hosts = problem.hosts().size();
        hostNames = new String[hosts];
        hostCpu = new long[hosts];
        hostMemory = new long[hosts];
        hostNicBps = new long[hosts];
        for (int h = 0; h < hosts; h++) {
            HostSpec host = problem.hosts().get(h);
            if (hostIndex.putIfAbsent(host.name(), h) != null) {
                throw new IllegalArgumentException("host " + host.name() + " is named twice");
            }
            hostNames[h] = host.name();
            hostCpu[h] = milli(host.cpu());
            hostMemory[h] = host.memoryMib();
            hostNicBps[h] = host.nicBitsPerSecond();
        }
        int n = problem.vms().size();
        vmNames = new String[n];
        vmCpu = new long[n];
        vmMemory = new long[n];
        current = new int[n];
        pinned = new int[n];
        for (int v = 0; v < n; v++) {
            VmSpec vm = problem.vms().get(v);
            if (vmIndex.putIfAbsent(vm.name(), v) != null) {
                throw new IllegalArgumentException("VM " + vm.name() + " is named twice");
            }
            vmNames[v] = vm.name();
            vmCpu[v] = milli(vm.cpu());
            vmMemory[v] = vm.memoryMib();
            current[v] = vm.host() == null ? -1 : host(vm.host(), "VM " + vm.name() + " runs on");
            pinned[v] = vm.pinnedTo() == null ? -1 : host(vm.pinnedTo(), "VM " + vm.name() + " is pinned to");
        }
        int longest = 0;
        for (Demand demand : problem.demands()) {
            if (demand.binBytes() != null) {
                longest = Math.max(longest, demand.binBytes().length);
            }
        }
        int factor = 1;
        while ((longest + factor - 1) / factor > MAX_BINS) {
            factor *= 2;
        }
        bins = problem.binNs() > 0 ? (longest + factor - 1) / factor : 0;
        binNs = problem.binNs() * factor;
        Map<Long, long[]> pairs = new LinkedHashMap<>();
        Map<Long, long[]> pairBins = new HashMap<>();
        for (Demand demand : problem.demands()) {
            int a = vm(demand.a());
            int b = vm(demand.b());
            long key = (long) Math.min(a, b) << 32 | Math.max(a, b);
            pairs.computeIfAbsent(key, k -> new long[1])[0] += demand.bytes();
            if (bins > 0 && demand.binBytes() != null) {
                long[] series = pairBins.computeIfAbsent(key, k -> new long[bins]);
                for (int i = 0; i < demand.binBytes().length; i++) {
                    series[i / factor] += demand.binBytes()[i];
                }
            }
        }
        int m = pairs.size();
        demandA = new int[m];
        demandB = new int[m];
        demandBytes = new long[m];
        demandBins = new long[m][];
        int[] degree = new int[n];
        int d = 0;
        for (Map.Entry<Long, long[]> pair : pairs.entrySet()) {
            demandA[d] = (int) (pair.getKey() >>> 32);
            demandB[d] = (int) (pair.getKey() & 0xffffffffL);
            demandBytes[d] = pair.getValue()[0];
            demandBins[d] = pairBins.get(pair.getKey());
            degree[demandA[d]]++;
            degree[demandB[d]]++;
            d++;
        }
        demandsOf = new int[n][];
        for (int v = 0; v < n; v++) {
            demandsOf[v] = new int[degree[v]];
        }
        Arrays.fill(degree, 0);
        for (d = 0; d < m; d++) {
            demandsOf[demandA[d]][degree[demandA[d]]++] = d;
            demandsOf[demandB[d]][degree[demandB[d]]++] = d;
        }
        vmSeries = new long[n][];
        long[][] magnitude = new long[n][];
        for (d = 0; d < m; d++) {
            if (demandBins[d] != null) {
                for (int end : new int[] {demandA[d], demandB[d]}) {
                    if (vmSeries[end] == null) {
                        vmSeries[end] = new long[bins];
                        magnitude[end] = new long[bins];
                    }
                    for (int i = 0; i < bins; i++) {
                        vmSeries[end][i] += demandBins[d][i];
                        magnitude[end][i] += Math.abs(demandBins[d][i]);
                    }
                }
            }
        }
        vmPeakBinBytes = new long[n];
        for (int v = 0; v < n; v++) {
            if (magnitude[v] != null) {
                vmPeakBinBytes[v] = Arrays.stream(magnitude[v]).max().orElse(0);
            }
        }
        nicCapacityBinBytes = new long[hosts];
        for (int h = 0; h < hosts; h++) {
            nicCapacityBinBytes[h] = bins == 0 || hostNicBps[h] <= 0 ? Long.MAX_VALUE : capacityBinBytes(hostNicBps[h]);
        }
        maxMoves = problem.maxMoves();
    }

    int hosts() {
        return hostNames.length;
    }

    int vms() {
        return vmNames.length;
    }

    int demands() {
        return demandA.length;
    }

    int other(int demand, int vm) {
        return demandA[demand] == vm ? demandB[demand] : demandA[demand];
    }

    /** The placement now, pinned VMs on their pins. */
    int[] start() {
        int[] start = current.clone();
        for (int v = 0; v < start.length; v++) {
            if (pinned[v] >= 0) {
                start[v] = pinned[v];
            }
        }
        return start;
    }

    boolean moved(int vm, int host) {
        return current[vm] >= 0 && host != current[vm];
    }

    /** Bits per second of a bin's bytes. */
    long bitsPerSecond(long binBytes) {
        return binNs <= 0 ? 0 : (long) (binBytes * 8.0 * 1e9 / binNs);
    }

    /** The most bytes per bin whose rate is within the capacity, exactly as {@link #bitsPerSecond} rounds. */
    private long capacityBinBytes(long capacityBps) {
        long bytes = (long) (capacityBps * (binNs / 8e9));
        while (bytes > 0 && bitsPerSecond(bytes) > capacityBps) {
            bytes--;
        }
        while (bitsPerSecond(bytes + 1) <= capacityBps) {
            bytes++;
        }
        return bytes;
    }

    /**
     * The nearest-rank 95th percentile of a series, the input left as it is: the (n - rank + 1)-th largest value,
     * kept in one pass with the few largest so far (the 4th largest of 60 bins), where a sort of every touched
     * host's series on every move was most of the search's time.
     */
    static long p95(long[] series) {
        int n = series.length;
        if (n == 0) {
            return 0;
        }
        int rank = Math.max(1, (int) Math.ceil(0.95 * n));
        int keep = n - rank + 1;
        long[] largest = new long[keep]; // descending
        int held = 0;
        for (long value : series) {
            if (held < keep) {
                int at = held++;
                while (at > 0 && largest[at - 1] < value) {
                    largest[at] = largest[at - 1];
                    at--;
                }
                largest[at] = value;
            } else if (value > largest[keep - 1]) {
                int at = keep - 1;
                while (at > 0 && largest[at - 1] < value) {
                    largest[at] = largest[at - 1];
                    at--;
                }
                largest[at] = value;
            }
        }
        return largest[keep - 1];
    }

    static long milli(double cpu) {
        return Math.round(cpu * 1000);
    }

    private int host(String name, String what) {
        Integer index = hostIndex.get(name);
        if (index == null) {
            throw new IllegalArgumentException(what + " host " + name + ", which is not among the hosts");
        }
        return index;
    }

    private int vm(String name) {
        Integer index = vmIndex.get(name);
        if (index == null) {
            throw new IllegalArgumentException("traffic names VM " + name + ", which is not among the VMs");
        }
        return index;
    }

    List<String> hostList() {
        return List.of(hostNames);
    }
}
