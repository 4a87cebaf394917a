package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;

/**
 * Device names numbered on the reading thread ({@link PreparedEvents}) give the analyses' thread the devices that
 * reading the names there gives: the same device, event by event, one instance per name whichever way the name came
 * first (the reading thread prepares only the batches it is ahead on), and new devices made in the same order.
 */
class PreparedEventsTest {

    @ParameterizedTest
    @ValueSource(strings = {"lab2/ipv6", "lab2/discards", "lab2/record-live"})
    void namesNumberedAheadGiveTheDevicesReadHere(String name) {
        Path trace = LabTraces.scenario(name).resolve("trace").resolve("kernel");
        Random random = new Random(name.hashCode());
        DeviceNames here = new DeviceNames(new InterfaceIdentities());
        DeviceNames taken = new DeviceNames(new InterfaceIdentities());
        PreparedEvents ahead = new PreparedEvents();
        taken.numberedBy(ahead);
        PreparedEvents.Slot slot = ahead.newSlot();
        Map<InterfaceId, InterfaceId> sameDevice = new IdentityHashMap<>();
        List<String> madeHere = new ArrayList<>();
        List<String> madeTaken = new ArrayList<>();
        long events = 0;
        long numbered = 0;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null || !PacketHeader.EVENT_NAMES.contains(event.name())
                        || !event.has(NetFields.NAME)) {
                    continue;
                }
                slot.deviceName = random.nextInt(); // whatever an earlier event left in the slot
                ahead.prepare(event, slot);
                boolean prepared = random.nextInt(4) != 0;
                numbered += prepared && slot.deviceName != PreparedEvents.NO_NAME ? 1 : 0;
                InterfaceId expected = here.read(event, NetFields.NAME);
                InterfaceId actual = taken.read(event, NetFields.NAME, prepared ? slot : null);
                assertThat(actual.name()).as("event %d", events).isEqualTo(expected.name())
                        .isEqualTo(event.getString(NetFields.NAME));
                InterfaceId before = sameDevice.putIfAbsent(expected, actual);
                if (before == null) {
                    madeHere.add(expected.name());
                    madeTaken.add(actual.name());
                } else {
                    assertThat(actual).as("event %d: the one instance of %s", events, actual.name()).isSameAs(before);
                }
                events++;
            }
        }
        assertThat(events).isGreaterThan(1000);
        assertThat(numbered).isGreaterThan(events / 2);
        assertThat(madeTaken).isEqualTo(madeHere).doesNotHaveDuplicates();
    }
}
