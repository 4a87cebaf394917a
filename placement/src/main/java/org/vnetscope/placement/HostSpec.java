package org.vnetscope.placement;

/**
 * A host VMs can run on.
 *
 * @param name              host name, as the traces' {@code hostname} or the user's hosts file gives it
 * @param cpu               vCPUs it can give to VMs
 * @param memoryMib         memory it can give to VMs, in MiB
 * @param nicBitsPerSecond  the capacity of the NIC its cross-host traffic leaves and enters by, in bits/s (in plus
 *                          out); 0 when unknown, then not checked
 */
public record HostSpec(String name, double cpu, long memoryMib, long nicBitsPerSecond) {

    public HostSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a host needs a name");
        }
        if (cpu < 0 || memoryMib < 0 || nicBitsPerSecond < 0) {
            throw new IllegalArgumentException("host " + name + ": capacities cannot be negative");
        }
    }
}
