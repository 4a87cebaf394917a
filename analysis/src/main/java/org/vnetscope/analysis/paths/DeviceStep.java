package org.vnetscope.analysis.paths;

import java.util.ArrayList;
import java.util.List;
import org.vnetscope.analysis.InterfaceId;

/**
 * A journey seen device by device: the hops on one device in one direction (queue+xmit, or rx+receive) form a
 * step. A step holds no time, so that journeys along the same hops share their steps: its time is that of its
 * first hop ({@link Journey#timeNs}{@code (firstHop)}).
 *
 * @param device    the device as the tracker attributed it (name, and veth peer when a hand-over revealed it)
 * @param transmit  whether the packet left through this device (else it came in through it)
 * @param firstHop  index of that event in the journey
 * @param firstKind the kind of that event
 */
public record DeviceStep(InterfaceId device, boolean transmit, int firstHop, HopKind firstKind) {

    public String name() {
        return device.name();
    }

    /** The journey's steps in the order the packet reached them. */
    public static List<DeviceStep> of(Journey journey) {
        List<DeviceStep> steps = new ArrayList<>(journey.hopCount()); // never more steps than hops: no growing
        for (int hop = 0; hop < journey.hopCount(); hop++) {
            InterfaceId device = journey.device(hop);
            HopKind kind = journey.kind(hop);
            if (!joinsEarlierStep(steps, journey, hop, device, kind)) {
                steps.add(new DeviceStep(device, kind.transmit(), hop, kind));
            }
        }
        return steps;
    }

    private static boolean joinsEarlierStep(List<DeviceStep> steps, Journey journey, int current, InterfaceId device,
                                            HopKind kind) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            DeviceStep step = steps.get(i);
            if (step.device == device && step.transmit == kind.transmit()) {
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
}
