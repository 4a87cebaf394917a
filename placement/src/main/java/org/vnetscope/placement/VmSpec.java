package org.vnetscope.placement;

/**
 * A VM to place.
 *
 * @param name      the VM's name (libvirt's, or the key a trace knows it by: a port, a MAC)
 * @param host      the host it runs on now, or null when it is not placed yet
 * @param cpu       its vCPUs
 * @param memoryMib its memory in MiB (what a live migration copies)
 * @param pinnedTo  the host it must stay on (or be moved to), or null when it may move
 */
public record VmSpec(String name, String host, double cpu, long memoryMib, String pinnedTo) {

    public VmSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a VM needs a name");
        }
        if (cpu < 0 || memoryMib < 0) {
            throw new IllegalArgumentException("VM " + name + ": sizes cannot be negative");
        }
    }

    public VmSpec pinned(String to) {
        return new VmSpec(name, host, cpu, memoryMib, to);
    }
}
