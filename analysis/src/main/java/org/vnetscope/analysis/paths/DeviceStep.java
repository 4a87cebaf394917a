package org.vnetscope.analysis.paths;

import java.util.ArrayList;
import java.util.List;

/**
 * A journey seen device by device: the hops on one device in one direction (queue+xmit, or rx+receive) form a
 * step. A transmit step followed by a receive step that starts with {@code net_if_rx} on another device is a
 * veth hand-over; both steps then name the other device as their partner, which tells apart equal names such as
 * the {@code eth0} of every VM.
 *
 * @param name      the device name from the events
 * @param transmit  whether the packet left through this device (else it came in through it)
 * @param partner   the veth peer the packet crossed to or from, or null
 * @param timeNs    the first event on this device
 * @param firstHop  index of that event in the journey
 * @param firstKind the kind of that event
 */
public record DeviceStep(String name, boolean transmit, String partner, long timeNs, int firstHop, HopKind firstKind) {

    /** The journey's steps in the order the packet reached them. */
    public static List<DeviceStep> of(Journey journey) {
        List<DeviceStep> steps = new ArrayList<>(4);
        for (int hop = 0; hop < journey.hopCount(); hop++) {
            String device = journey.device(hop);
            HopKind kind = journey.kind(hop);
            if (!joinsEarlierStep(steps, journey, hop, device, kind)) {
                steps.add(new DeviceStep(device, kind.transmit(), null, journey.timeNs(hop), hop, kind));
            }
        }
        for (int i = 0; i + 1 < steps.size(); i++) {
            DeviceStep from = steps.get(i);
            DeviceStep to = steps.get(i + 1);
            if (from.transmit && !to.transmit && to.firstKind == HopKind.RX && !from.name.equals(to.name)) {
                steps.set(i, from.withPartner(to.name));
                steps.set(i + 1, to.withPartner(from.name));
            }
        }
        return steps;
    }

    private static boolean joinsEarlierStep(List<DeviceStep> steps, Journey journey, int current, String device,
                                            HopKind kind) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            DeviceStep step = steps.get(i);
            if (step.name == device && step.transmit == kind.transmit()) {
                for (int hop = step.firstHop; hop < current; hop++) {
                    if (journey.device(hop) == device && journey.kind(hop) == kind) {
                        return false; // this device already did that: a second visit is a new step
                    }
                }
                return true;
            }
        }
        return false;
    }

    DeviceStep withPartner(String peer) {
        return new DeviceStep(name, transmit, peer, timeNs, firstHop, firstKind);
    }
}
