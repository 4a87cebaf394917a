package org.vnetscope.analysis.topology;

import java.io.Serializable;
import java.util.List;

/**
 * The virtual network a trace shows: bridges and their ports with what sits behind each, and how that changed.
 *
 * @param bridges    bridges with their ports, by name
 * @param vethPairs  veth pairs that are not bridge ports (e.g. a relay's end inside a VM namespace)
 * @param interfaces interfaces and IPv4 addresses from the session-start state dump
 * @param changes    MAC moves, FDB additions and deletions, port removals, in time order
 */
public record Topology(List<Bridge> bridges, List<VethPair> vethPairs, List<Interface> interfaces,
                       List<Change> changes) implements Serializable {

    /**
     * @param name           bridge device name ("bridge?N" when the trace never named it)
     * @param ipv4           its IPv4 addresses from the state dump
     * @param ports          its ports, by name
     * @param vlanFiltering  whether it filters VLANs, as the VLAN id of the entries it learned last shows (0: it
     *                       does not); null when it learned nothing
     * @param defaultPvid    inferred: the VLAN every port of this non-filtering bridge showed in its forwarding
     *                       database entries, taken as the default PVID it gives each new port and itself, or the
     *                       kernel's default (1) when none showed any; null when it filters or is not known not to
     * @param defaultPvidSource {@code default_pvid}: shown by the devices' entries; {@code kernel_default}: assumed,
     *                       no event of the bridge carried a VLAN id; null with no default PVID
     * @param vlanMembership the bridge device's own VLANs (see {@link Vlan})
     * @param forwardingGroups inferred: its ports grouped by the frames it forwarded from one to another (each such
     *                   pair shares a VLAN, so a group of ports with one VLAN each is within one broadcast domain);
     *                   groups of two ports or more, by first port name
     */
    public record Bridge(String name, List<String> ipv4, List<Port> ports, Boolean vlanFiltering, Integer defaultPvid,
                         String defaultPvidSource, List<Vlan> vlanMembership, List<List<String>> forwardingGroups)
            implements Serializable {
    }

    /**
     * @param name       port device name
     * @param kind       veth, tap, or other
     * @param vm         the VM behind it, when a mapping or libvirt XML names one
     * @param macs       MAC addresses the bridge's forwarding database holds for this port at the end of the trace
     * @param vlans      VLAN ids any forwarding-database event on this port carried (a requested static entry too)
     * @param vlanMembership the VLANs of this port at the end of the trace (at its removal when it was removed), and
     *                   those it left during the trace (see {@link Vlan})
     * @param peer       the other end of a veth port, or null
     * @param ipv4       IPv4 source addresses of packets that entered the bridge through this port
     * @param lastSeenNs the last packet through it
     * @param removedNs  when the port was removed from the bridge, or null
     * @param firstSeenNs the first packet through it (a VM's first frame on a host it migrated to)
     */
    public record Port(String name, String kind, String vm, List<Mac> macs, List<Integer> vlans,
                       List<Vlan> vlanMembership, Peer peer, List<String> ipv4, Long lastSeenNs, Long removedNs,
                       Long firstSeenNs) implements Serializable {

        /** A port as earlier versions described it, without the time of its first packet. */
        public Port(String name, String kind, String vm, List<Mac> macs, List<Integer> vlans, List<Vlan> vlanMembership,
                    Peer peer, List<String> ipv4, Long lastSeenNs, Long removedNs) {
            this(name, kind, vm, macs, vlans, vlanMembership, peer, ipv4, lastSeenNs, removedNs, null);
        }
    }

    /**
     * A VLAN of a port or bridge device, and how it is known. The kernel keeps one local forwarding-database entry
     * per VLAN of a device (with the device's MAC), and a frame learned on a VLAN-filtering bridge carries its
     * VLAN: such an entry proves the membership. Nothing in those events shows the PVID and egress-untagged flags.
     *
     * @param vid         the VLAN id
     * @param pvid        whether it is the device's PVID; null when unknown
     * @param untagged    whether it leaves the device untagged; null when unknown
     * @param source      {@code fdb}: a forwarding-database event on this device carried it; {@code default_pvid}:
     *                    inferred, none did, and it is the bridge's default PVID its devices' entries showed;
     *                    {@code kernel_default}: assumed, no event of the bridge carried any VLAN id, and it is the
     *                    kernel's default PVID
     * @param flagsSource {@code default_pvid} or {@code kernel_default}: pvid and untagged are inferred (the kernel
     *                    gives the default PVID both flags), as the bridge's default PVID is known; null: unknown
     * @param seenNs      the first event that showed it, or null when inferred
     * @param untilNs     when its local entry was deleted while the device stayed (the VLAN left it), or null
     */
    public record Vlan(int vid, Boolean pvid, Boolean untagged, String source, String flagsSource, Long seenNs,
                       Long untilNs) implements Serializable {
    }

    /** A MAC address with its VLAN (null: none, the bridge does not filter VLANs). */
    public record Mac(String mac, Integer vlan) implements Serializable {
    }

    /**
     * @param name  device name inside its namespace
     * @param netns network namespace inode (as the net_ns context shows it), or null when unknown
     */
    public record Peer(String name, Long netns) implements Serializable {
    }

    /**
     * @param a     one end's name
     * @param b     the other end's name
     * @param netns the pair's namespace inode, or null when unknown
     * @param tap   the tap a user-space relay copies frames between this pair and (QEMU without vhost), or null;
     *              such a pair is listed once per namespace when every VM has one with the same names
     */
    public record VethPair(String a, String b, Long netns, String tap) implements Serializable {
    }

    public record Interface(String name, String ipv4) implements Serializable {
    }

    /**
     * A change of the topology.
     *
     * @param timeNs when it was seen
     * @param kind   "move" (a MAC or IPv4 address now behind another port), "added"/"deleted" (a forwarding
     *               database entry), "removal" (a port left its bridge)
     * @param mac    the MAC address concerned, or null
     * @param ip     the IPv4 address concerned (moves seen in traffic), or null
     * @param from   the port it was behind, or the removed port
     * @param to     the port it is behind now, or null
     * @param leftNs for a move, when the address was last seen at (or deleted from) its old port, or null
     */
    public record Change(long timeNs, String kind, String mac, String ip, String from, String to, Long leftNs)
            implements Serializable {
    }
}
