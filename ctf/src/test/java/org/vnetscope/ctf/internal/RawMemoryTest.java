package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record's reads by address give what the mapped buffers give, at every index of a window and its ends. */
class RawMemoryTest {

    @TempDir
    Path dir;

    @Test
    void readsByAddressEqualTheBuffersReads() throws IOException {
        assertThat(RawMemory.AVAILABLE)
                .as("reads by address on a little-endian JDK before 24 (else every decode goes through the buffers)")
                .isEqualTo(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && Runtime.version().feature() < 24
                        && !Boolean.getBoolean("vnetscope.noRawMemory"));
        byte[] bytes = new byte[4096 + 13];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("stream"), bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            // a window from an offset that is not page-aligned, as the decoder maps them
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 5, bytes.length - 5);
            DecodedRecord record = new DecodedRecord();
            record.le = (MappedByteBuffer) mapped.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            record.be = (MappedByteBuffer) mapped.duplicate().order(ByteOrder.BIG_ENDIAN);
            record.address = RawMemory.address(record.le);
            record.windowLength = mapped.capacity();
            int length = mapped.capacity();
            for (int i = 0; i < length; i++) {
                assertThat(record.byteAt(i)).isEqualTo(record.le.get(i));
                if (i + 2 <= length) {
                    assertThat(record.shortLe(i)).isEqualTo(record.le.getShort(i));
                    assertThat(record.shortBe(i)).isEqualTo(record.be.getShort(i));
                }
                if (i + 4 <= length) {
                    assertThat(record.intLe(i)).isEqualTo(record.le.getInt(i));
                    assertThat(record.intBe(i)).isEqualTo(record.be.getInt(i));
                }
                if (i + 8 <= length) {
                    assertThat(record.longLe(i)).isEqualTo(record.le.getLong(i));
                    assertThat(record.longBe(i)).isEqualTo(record.be.getLong(i));
                }
            }
            assertThat(record.byteAt(length - 1)).isEqualTo(bytes[bytes.length - 1]);
        }
    }
}
