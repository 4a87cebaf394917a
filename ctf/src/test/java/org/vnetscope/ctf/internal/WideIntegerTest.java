package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;

/** Integers wider than 64 bits (CTF sets no size limit; the conformance suite has a 1024-bit one). */
class WideIntegerTest {

    private static final String METADATA = """
            /* CTF 1.8 */
            trace { major = 1; minor = 8; byte_order = le; };
            typealias integer { size = 72; signed = true; } := int72_t;
            typealias integer { size = 128; byte_order = be; base = 16; } := uint128_be_t;
            typealias integer { size = 8; } := uint8_t;
            event {
                name = wide;
                fields := struct { int72_t little; uint128_be_t big; uint8_t after; };
            };
            """;

    @Test
    void wideIntegersDecodeExactlyInBothByteOrdersAndTheFieldsAfterThemStayInPlace(@TempDir Path trace)
            throws IOException {
        byte[] stream = new byte[9 + 16 + 1];
        // -2 as a 72-bit little-endian two's complement number: FE FF .. FF.
        stream[0] = (byte) 0xFE;
        for (int i = 1; i < 9; i++) {
            stream[i] = (byte) 0xFF;
        }
        // 0x0102...10 big-endian.
        for (int i = 0; i < 16; i++) {
            stream[9 + i] = (byte) (i + 1);
        }
        stream[25] = 7;
        Files.writeString(trace.resolve("metadata"), METADATA, StandardCharsets.US_ASCII);
        Files.write(trace.resolve("stream"), stream);

        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            assertThat(reader.next()).isTrue();
            Event event = reader.event();
            assertThat(event.scope(Scope.EVENT_PAYLOAD)).containsExactly(BigInteger.valueOf(-2),
                    new BigInteger("0102030405060708090a0b0c0d0e0f10", 16), 7L);
            assertThat(event.getLong(FieldKey.of("after"))).isEqualTo(7);
            assertThatThrownBy(() -> event.getLong(FieldKey.of("big"))).isInstanceOf(IllegalArgumentException.class);
            assertThat(reader.next()).isFalse();
        }
    }

    @Test
    void aWideIntegerCannotBeASequenceLength(@TempDir Path trace) throws IOException {
        Files.writeString(trace.resolve("metadata"), """
                /* CTF 1.8 */
                trace { major = 1; minor = 8; byte_order = le; };
                typealias integer { size = 72; } := uint72_t;
                typealias integer { size = 8; } := uint8_t;
                event { name = bad; fields := struct { uint72_t n; uint8_t values[n]; }; };
                """, StandardCharsets.US_ASCII);
        Files.write(trace.resolve("stream"), new byte[0]);
        assertThatThrownBy(() -> TraceReader.open(trace, TraceReader.Warnings.IGNORE).close())
                .isInstanceOf(CtfException.class).hasMessageContaining("unsigned integer");
    }
}
