package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Event#getElement} and {@link Event#getStringBytes} give what the allocating accessors give. */
class AllocationFreeAccessTest {

    private static final FieldKey NAME = FieldKey.of("name");
    private static final FieldKey SADDR = FieldKey.of("network_header", "ipv4", "saddr");
    private static final FieldKey DADDR = FieldKey.of("network_header", "ipv4", "daddr");

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
                int length = event.getStringBytes(NAME, scratch);
                assertThat(Arrays.copyOf(scratch, length)).isEqualTo(expected);
                assertThat(event.getStringBytes(NAME, tiny)).as("length beyond a short buffer").isEqualTo(length);
                names++;
                if (event.has(SADDR)) {
                    byte[] source = event.getBytes(SADDR);
                    byte[] destination = event.getBytes(DADDR);
                    for (int i = 0; i < 4; i++) {
                        assertThat(event.getElement(SADDR, i)).isEqualTo(source[i] & 0xFFL);
                        assertThat(event.getElement(DADDR, i)).isEqualTo(destination[i] & 0xFFL);
                    }
                    assertThatThrownBy(() -> event.getElement(SADDR, 4)).isInstanceOf(IllegalArgumentException.class);
                    addresses++;
                }
            }
        }
        assertThat(names).isEqualTo(7490 + 7330 + 7327 + 7327);
        assertThat(addresses).isPositive();
    }
}
