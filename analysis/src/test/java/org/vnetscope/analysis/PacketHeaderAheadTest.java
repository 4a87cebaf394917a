package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;

/**
 * A header read on the reading thread ({@link PreparedEvents}) and taken over by {@link PacketHeader#copyRead}
 * leaves the analyses' header exactly as reading it there would: every field, whatever an earlier event or
 * {@link PacketHeader#readDetails} left in it, on IPv4 and IPv6 traffic of TCP, UDP, ICMP and other frames. So does
 * reading it as a group of fields rather than field by field.
 */
class PacketHeaderAheadTest {

    /** Every field of the header but its scratch buffer, found by reflection so that a new field is checked too. */
    private static final List<Field> FIELDS = fields();

    private static List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        for (Field field : PacketHeader.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && field.getType().isPrimitive()) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields;
    }

    private static void scramble(PacketHeader header, Random random) throws IllegalAccessException {
        for (Field field : FIELDS) {
            Class<?> type = field.getType();
            if (type == int.class) {
                field.setInt(header, random.nextInt());
            } else if (type == long.class) {
                field.setLong(header, random.nextLong());
            } else if (type == boolean.class) {
                field.setBoolean(header, random.nextBoolean());
            } else {
                throw new AssertionError("a header field of an unexpected type: " + field);
            }
        }
    }

    private static List<Object> state(PacketHeader header) throws IllegalAccessException {
        List<Object> values = new ArrayList<>();
        for (Field field : FIELDS) {
            values.add(field.getName() + "=" + field.get(header));
        }
        return values;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab2/ipv6", "lab2/discards", "lab2/record-live"})
    void aHeaderReadAheadIsTheHeaderReadHere(String name) throws IllegalAccessException {
        Path trace = LabTraces.scenario(name).resolve("trace").resolve("kernel");
        Random random = new Random(name.hashCode());
        PacketHeader here = new PacketHeader();
        PacketHeader copied = new PacketHeader();
        scramble(here, random);
        for (Field field : FIELDS) {
            field.set(copied, field.get(here));
        }
        PreparedEvents ahead = new PreparedEvents();
        PreparedEvents.Slot prepared = ahead.newSlot();
        PacketHeader slot = prepared.header;
        int kinds = 0;
        long events = 0;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null || !PacketHeader.EVENT_NAMES.contains(event.name())) {
                    continue;
                }
                scramble(slot, random); // whatever an earlier event left in the slot
                ahead.prepare(event, prepared);
                here.read(event);
                copied.copyRead(slot);
                if (random.nextBoolean()) {
                    // as the stream list does on some events: what it writes stays for the next ones
                    here.readDetails(event);
                    copied.readDetails(event);
                }
                assertThat(state(copied)).as("event %d (%s)", events, event.name()).isEqualTo(state(here));
                kinds |= 1 << here.kind;
                events++;
            }
        }
        assertThat(events).isGreaterThan(1000);
        assertThat(kinds & (1 << PacketHeader.IPV4 | 1 << PacketHeader.NONE))
                .isEqualTo(1 << PacketHeader.IPV4 | 1 << PacketHeader.NONE);
    }

    /**
     * The header and its details read through groups of fields ({@link Event#readLongs}) are those read field by
     * field (an event that reads no groups): every field and the address scratch, from scrambled states.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lab2/ipv6", "lab2/discards", "lab2/record-live"})
    void aHeaderReadAsAGroupIsTheHeaderReadFieldByField(String name) throws Exception {
        Path trace = LabTraces.scenario(name).resolve("trace").resolve("kernel");
        Random random = new Random(name.hashCode() + 1);
        PacketHeader together = new PacketHeader();
        PacketHeader oneByOne = new PacketHeader();
        Field address = PacketHeader.class.getDeclaredField("address");
        address.setAccessible(true);
        long events = 0;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null || !PacketHeader.EVENT_NAMES.contains(event.name())) {
                    continue;
                }
                scramble(together, random);
                random.nextBytes((byte[]) address.get(together));
                for (Field field : FIELDS) {
                    field.set(oneByOne, field.get(together));
                }
                System.arraycopy(address.get(together), 0, address.get(oneByOne), 0, 16);
                Event fieldByField = fieldByField(event);
                together.read(event);
                oneByOne.read(fieldByField);
                if (random.nextBoolean()) {
                    together.readDetails(event);
                    oneByOne.readDetails(fieldByField);
                }
                assertThat(state(together)).as("event %d (%s)", events, event.name()).isEqualTo(state(oneByOne));
                assertThat((byte[]) address.get(together)).isEqualTo((byte[]) address.get(oneByOne));
                events++;
            }
        }
        assertThat(events).isGreaterThan(1000);
    }

    /**
     * The event, except that it reads no groups ({@link Event#readLongs} answers as its default does): its reader then
     * reads field by field.
     */
    private static Event fieldByField(Event event) {
        return (Event) java.lang.reflect.Proxy.newProxyInstance(Event.class.getClassLoader(),
                new Class<?>[] {Event.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("readLongs")) {
                        return Event.READ_ONE_BY_ONE;
                    }
                    try {
                        return method.invoke(event, arguments);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause(); // what the event throws, as it throws it
                    }
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"lab2/ipv6"})
    void theIpv6TraceHasIpv6Headers(String name) {
        Path trace = LabTraces.scenario(name).resolve("trace").resolve("kernel");
        PacketHeader header = new PacketHeader();
        boolean ipv6 = false;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next() && !ipv6) {
                Event event = reader.event();
                if (event != null && PacketHeader.EVENT_NAMES.contains(event.name())) {
                    header.read(event);
                    ipv6 = header.kind == PacketHeader.IPV6;
                }
            }
        }
        assertThat(ipv6).as("an IPv6 header in %s, so that the other test covers them", name).isTrue();
    }
}
