package org.vnetscope.analysis.paths;

/**
 * A device as paths know it: its name, the veth peer it hands packets to or from (null when none was seen),
 * which tells apart equal names in different namespaces, and whether the packet left through it.
 */
public record DeviceRef(String name, String partner, boolean transmit) {

    public DeviceRef withPartner(String peer) {
        return new DeviceRef(name, peer, transmit);
    }


    @Override
    public String toString() {
        return partner == null ? name : name + "(" + partner + ")";
    }
}
