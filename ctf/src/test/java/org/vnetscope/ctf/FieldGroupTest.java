package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Event#readLongs} answers what reading each member alone answers ({@link Event#has}, {@link Event#getLong},
 * {@link Event#copyBytes}), on every event of bundled traces: members in the payload and in the contexts, behind
 * variant options selected or not, absent from the event class, and of kinds a group cannot read.
 */
class FieldGroupTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final FieldKey IP6_SADDR = FieldKey.of("network_header", "ipv6", "saddr");
    private static final FieldKey NAME = FieldKey.of("name");
    private static final long UNTOUCHED = 0x5EED_5EED_5EED_5EEDL;

    /** Integers and 4-byte arrays: every event reads as a group. */
    private static final FieldGroup READABLE = FieldGroup.builder()
            .integer(FieldKey.of("network_header_type"))
            .bytes(FieldKey.of("network_header", "ipv4", "saddr"), 4)
            .bytes(FieldKey.of("network_header", "ipv4", "daddr"), 4)
            .integer(FieldKey.of("network_header", "ipv4", "protocol"))
            .integer(FieldKey.of("network_header", "ipv4", "id"))
            .integer(FieldKey.of("network_header", "ipv4", "transport_header", "tcp", "source_port"))
            .integer(FieldKey.of("network_header", "ipv4", "transport_header", "tcp", "seq"))
            .integer(FieldKey.of("network_header", "ipv4", "transport_header", "udp", "dest_port"))
            .integer(FieldKey.of("network_header", "ipv6", "nexthdr"))
            .integer(FieldKey.of("network_header", "ipv6", "transport_header", "tcp", "dest_port"))
            .integer(FieldKey.of("len"))
            .integer(FieldKey.of("skbaddr"))
            .integer(FieldKey.of("net_ns")) // a context field
            .integer(FieldKey.of("no_such_field"))
            .build();

    /** A 16-byte address asked as 4 bytes, and a string asked as an integer: one by one wherever present. */
    private static final FieldGroup UNREADABLE = FieldGroup.builder()
            .integer(FieldKey.of("len"))
            .bytes(IP6_SADDR, 4)
            .integer(NAME)
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"samples/bridge-basic/trace/kernel", "samples/lab2/ipv6/trace/kernel",
        "samples/lab5/recordings/mh-vxlan/hosta/trace/kernel"})
    void aGroupReadsWhatEachMemberReadsAlone(String trace) {
        long[] values = new long[READABLE.size()];
        byte[] bytes = new byte[16];
        long events = 0;
        long membersPresent = 0;
        int seen = 0;
        try (TraceReader reader = TraceReader.open(REPO.resolve(trace), TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null) {
                    continue;
                }
                Arrays.fill(values, UNTOUCHED);
                long present = event.readLongs(READABLE, values);
                assertThat(present).as("event %d (%s)", events, event.name()).isNotEqualTo(Event.READ_ONE_BY_ONE);
                for (int i = 0; i < READABLE.size(); i++) {
                    FieldKey key = READABLE.key(i);
                    boolean has = event.has(key);
                    assertThat((present >>> i & 1) != 0).as("%s of event %d", key, events).isEqualTo(has);
                    if (!has) {
                        assertThat(values[i]).as("%s left as it was", key).isEqualTo(UNTOUCHED);
                        continue;
                    }
                    long alone;
                    if (READABLE.byteLength(i) == 0) {
                        alone = event.getLong(key);
                    } else {
                        assertThat(event.copyBytes(key, bytes)).isEqualTo(4);
                        alone = (bytes[0] & 0xFFL) << 24 | (bytes[1] & 0xFFL) << 16 | (bytes[2] & 0xFFL) << 8
                                | bytes[3] & 0xFFL;
                    }
                    assertThat(values[i]).as("%s of event %d", key, events).isEqualTo(alone);
                    membersPresent++;
                    seen |= 1 << i;
                }
                boolean oneByOne = event.readLongs(UNREADABLE, values) == Event.READ_ONE_BY_ONE;
                assertThat(oneByOne).as("event %d (%s)", events, event.name())
                        .isEqualTo(event.has(IP6_SADDR) || event.has(NAME));
                events++;
            }
        }
        assertThat(events).isGreaterThan(1000);
        assertThat(membersPresent).isGreaterThan(events);
        // the header type, IPv4 addresses and the context field were there to compare, and some ports
        assertThat(seen & 0b1_0000_0000_0111).isEqualTo(0b1_0000_0000_0111);
        assertThat(seen & 0b10_1010_0000).isNotZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9})
    void aByteArrayIsReadAsOneToEightBytes(int length) {
        assertThatThrownBy(() -> FieldGroup.builder().bytes(NAME, length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 8 bytes");
    }
}
