package org.vnetscope.analysis;

/**
 * One interface as the trace lets us tell it apart: its name, the name of the device at the other end of the
 * veth pair when a packet crossing the pair revealed it, and which of several pairs with both names it is when a
 * host has several (a relay process copying between each VM's namespace and a tap: every VM has its
 * {@code eth0<->nic0}). Every VM side of a veth is {@code eth0}; its peer ({@code vnet0}, {@code vnet1}, ...) is
 * what tells them apart, or else the {@code part}.
 *
 * @param name the interface name as the events give it
 * @param peer the veth peer's name, or null when no hand-over named one
 * @param part 0 for the only interface with that name and peer; in a raw id, the task whose packets these are
 *     (its pid plus one); in a reported id, the namespace inode of the pair
 */
public record InterfaceId(String name, String peer, long part) {

    public InterfaceId(String name, String peer) {
        this(name, peer, 0);
    }

    /** {@code eth0}, or {@code eth0<->vnet1} when the peer is known. */
    public String label() {
        return peer == null ? name : name + "<->" + peer;
    }

    /** As a two-component id hashes when the part is 0: hash-ordered reports keep their order. */
    @Override
    public int hashCode() {
        int hash = 31 * java.util.Objects.hashCode(name) + java.util.Objects.hashCode(peer);
        return part == 0 ? hash : 31 * hash + Long.hashCode(part);
    }

    @Override
    public String toString() {
        return label();
    }
}
