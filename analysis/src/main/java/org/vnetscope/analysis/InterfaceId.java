package org.vnetscope.analysis;

/**
 * One interface as the trace lets us tell it apart: its name, and the name of the device at the other end of the
 * veth pair when a packet crossing the pair revealed it. Every VM side of a veth is {@code eth0}; its peer
 * ({@code vnet0}, {@code vnet1}, ...) is what tells them apart.
 *
 * @param name the interface name as the events give it
 * @param peer the veth peer's name, or null when no hand-over named one
 */
public record InterfaceId(String name, String peer) {

    /** {@code eth0}, or {@code eth0<->vnet1} when the peer is known. */
    public String label() {
        return peer == null ? name : name + "<->" + peer;
    }

    @Override
    public String toString() {
        return label();
    }
}
