package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Event#copyBytes} gives what the allocating accessors give, on the fields analyses read per event. */
class AllocationFreeAccessTest {

    private static final FieldKey NAME = FieldKey.of("name");
    private static final FieldKey SADDR = FieldKey.of("network_header", "ipv4", "saddr");
    private static final FieldKey DADDR = FieldKey.of("network_header", "ipv4", "daddr");
    private static final FieldKey LEN = FieldKey.of("len");

    @Test
    void addressesAndDeviceNamesOfARealTrace() {
        byte[] scratch = new byte[64];
        byte[] tiny = new byte[2];
        int names = 0;
        int addresses = 0;
        try (TraceReader reader = TraceReader.open(RealTracesTest.traces().resolve("lab/vlan-drops/trace"),
                TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null || !event.has(NAME) || !event.name().startsWith("net_")) {
                    continue;
                }
                byte[] expected = event.getString(NAME).getBytes(StandardCharsets.UTF_8);
                int length = event.copyBytes(NAME, scratch);
                assertThat(Arrays.copyOf(scratch, length)).isEqualTo(expected);
                assertThat(event.copyBytes(NAME, tiny)).as("length beyond a short buffer").isEqualTo(length);
                assertThat(tiny).isEqualTo(Arrays.copyOf(expected, 2));
                names++;
                if (event.has(SADDR)) {
                    assertThat(event.copyBytes(SADDR, scratch)).isEqualTo(4);
                    assertThat(Arrays.copyOf(scratch, 4)).isEqualTo(event.getBytes(SADDR));
                    assertThat(event.copyBytes(DADDR, scratch)).isEqualTo(4);
                    assertThat(Arrays.copyOf(scratch, 4)).isEqualTo(event.getBytes(DADDR));
                    addresses++;
                }
                assertThatThrownBy(() -> event.copyBytes(LEN, scratch))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("len");
            }
        }
        assertThat(names).isEqualTo(7490 + 7330 + 7327 + 7327);
        assertThat(addresses).isPositive();
    }
}
