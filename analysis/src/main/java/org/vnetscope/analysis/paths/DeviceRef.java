package org.vnetscope.analysis.paths;

import java.io.Serializable;

/**
 * A device as paths know it: its name, the veth peer it hands packets to or from (null when none was seen),
 * which tells apart equal names in different namespaces, whether the packet left through it, and which of
 * several pairs with the same two names it is (a user-space relay per VM gives every VM its {@code eth0 <-> nic0}).
 *
 * @param part 0 for the only pair with these names; while paths are gathered, the relay whose packets these are,
 *     once resolved, the pair's namespace inode (negative: a relay whose pair no namespace could be found for)
 */
public record DeviceRef(String name, String partner, boolean transmit, long part) implements Serializable {

    public DeviceRef(String name, String partner, boolean transmit) {
        this(name, partner, transmit, 0);
    }

    public DeviceRef withPartner(String peer) {
        return new DeviceRef(name, peer, transmit, part);
    }

    /** The namespace of a resolved pair that shares its names with others, else null. */
    public Long netns() {
        return part > 0 ? part : null;
    }

    @Override
    public String toString() {
        return (partner == null ? name : name + "(" + partner + ")") + (part == 0 ? "" : "#" + part);
    }
}
