package org.vnetscope.analysis;

/**
 * One interface as the trace lets us tell it apart: its name, the name of the device at the other end of the
 * veth pair when a packet crossing the pair revealed it, and, where several pairs have both names (a user-space
 * relay per VM copying between a tap and the VM's own {@code eth0 <-> nic0}), which of them it is. Every VM side
 * of a veth is {@code eth0}; its peer ({@code vnet0}, {@code vnet1}, ...) is what tells them apart, or else the
 * {@code part}.
 *
 * @param name the interface name as the events give it
 * @param peer the veth peer's name, or null when no hand-over named one
 * @param part 0 for the only interface with that name and peer. In the ids the tracker counts under, the relay
 *     whose packets these are ({@link #relayPart}); in a reported id, the namespace inode of the pair (or, when no
 *     namespace could be placed, the negated relay part)
 */
public record InterfaceId(String name, String peer, long part) {

    public InterfaceId(String name, String peer) {
        this(name, peer, 0);
    }

    /** The part of the packets a relay process copies: its pid plus one (0 stays "no relay"). */
    static long relayPart(long pid) {
        return pid + 1;
    }

    /** {@code eth0}, or {@code eth0<->vnet1} when the peer is known. */
    public String label() {
        return peer == null ? name : name + "<->" + peer;
    }

    @Override
    public String toString() {
        return label();
    }
}
