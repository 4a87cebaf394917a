package org.vnetscope.analysis;

import java.io.Serializable;
import org.vnetscope.analysis.topology.VmDirectory;

/**
 * Choices of the user.
 *
 * @param binNs    timeline bin width in ns
 * @param mtu      MTU telling GSO super-packets from frames (the trace does not record it)
 * @param kallsyms kernel symbols naming drop locations, or null
 * @param vms      VM names for the topology and the VM matrix (a mapping file, libvirt XML), possibly empty
 */
public record AnalysisOptions(long binNs, int mtu, Kallsyms kallsyms, VmDirectory vms) implements Serializable {

    public static final long DEFAULT_BIN_NS = 1_000_000_000L;
    public static final int DEFAULT_MTU = 1500;

    public AnalysisOptions {
        if (binNs <= 0) {
            throw new IllegalArgumentException("bin width must be positive");
        }
        if (mtu < 68) {
            throw new IllegalArgumentException("MTU must be at least 68: " + mtu);
        }
        if (vms == null) {
            vms = VmDirectory.empty();
        }
    }

    public static AnalysisOptions defaults() {
        return new AnalysisOptions(DEFAULT_BIN_NS, DEFAULT_MTU, null, VmDirectory.empty());
    }
}
