package org.vnetscope.analysis;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.vnetscope.analysis.paths.DeviceStep;
import org.vnetscope.analysis.paths.HopKind;

/**
 * The steps of every distinct hop sequence, built once: a trace has millions of journeys but few sequences of
 * (device, hop kind), so grouping each journey's hops into steps again is wasted work. Devices are interned ids,
 * compared by reference. Open addressing, grown at half full; as small as the number of distinct sequences.
 */
final class StepShapes {

    private InterfaceId[][] devices = new InterfaceId[64][];
    private HopKind[][] kinds = new HopKind[64][];
    private List<DeviceStep>[] steps = newSteps(64);
    private int size;

    /** The steps of the journey's current hops, shared with every journey along the same hops. */
    List<DeviceStep> of(JourneyLog journey, InterfaceId[] hopDevices, HopKind[] hopKinds, int hops) {
        int mask = steps.length - 1;
        int slot = hash(hopDevices, hopKinds, hops) & mask;
        for (; steps[slot] != null; slot = (slot + 1) & mask) {
            if (same(devices[slot], kinds[slot], hopDevices, hopKinds, hops)) {
                return steps[slot];
            }
        }
        List<DeviceStep> built = Collections.unmodifiableList(DeviceStep.of(journey));
        devices[slot] = Arrays.copyOf(hopDevices, hops);
        kinds[slot] = Arrays.copyOf(hopKinds, hops);
        steps[slot] = built;
        if (++size * 2 > steps.length) {
            grow();
        }
        return built;
    }

    private void grow() {
        InterfaceId[][] oldDevices = devices;
        HopKind[][] oldKinds = kinds;
        List<DeviceStep>[] oldSteps = steps;
        devices = new InterfaceId[oldSteps.length * 2][];
        kinds = new HopKind[oldSteps.length * 2][];
        steps = newSteps(oldSteps.length * 2);
        int mask = steps.length - 1;
        for (int i = 0; i < oldSteps.length; i++) {
            if (oldSteps[i] != null) {
                int slot = hash(oldDevices[i], oldKinds[i], oldDevices[i].length) & mask;
                while (steps[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                devices[slot] = oldDevices[i];
                kinds[slot] = oldKinds[i];
                steps[slot] = oldSteps[i];
            }
        }
    }

    private static boolean same(InterfaceId[] knownDevices, HopKind[] knownKinds, InterfaceId[] hopDevices,
                                HopKind[] hopKinds, int hops) {
        if (knownDevices.length != hops) {
            return false;
        }
        for (int i = 0; i < hops; i++) {
            if (knownDevices[i] != hopDevices[i] || knownKinds[i] != hopKinds[i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(InterfaceId[] hopDevices, HopKind[] hopKinds, int hops) {
        int h = hops;
        for (int i = 0; i < hops; i++) {
            h = (h * 31 + System.identityHashCode(hopDevices[i])) * 8 + hopKinds[i].ordinal();
        }
        return h ^ (h >>> 16);
    }

    @SuppressWarnings("unchecked")
    private static List<DeviceStep>[] newSteps(int length) {
        return (List<DeviceStep>[]) new List<?>[length];
    }
}
