package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * No real trace lost events, so one is made to: a copy of a lab trace whose packet contexts, from one packet on,
 * say the tracer discarded 5 more events. The report must name that range and say how many.
 */
class LostEventsTest {

    private static final int FIRST_LOSSY_PACKET = 3;
    private static final long DISCARDED = 5;

    @Test
    void discardedEventsAreReportedWithTheirTimeRange(@TempDir Path copy) throws IOException {
        Path original = GroundTruth.lab().resolve("vlan-drops/trace/kernel");
        try (Stream<Path> files = Files.walk(original)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, copy.resolve(original.relativize(file).toString()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        TraceClass metadata;
        try (TraceReader reader = TraceReader.open(copy, TraceReader.Warnings.IGNORE)) {
            metadata = reader.traces().get(0).metadata();
        }
        StructType context = metadata.streams().get(0L).packetContext();
        int headerBytes = bytes(metadata.packetHeader(), null);
        int discardedAt = headerBytes + bytes(context, "events_discarded");
        int packetSizeAt = headerBytes + bytes(context, "packet_size");
        int timestampEndAt = headerBytes + bytes(context, "timestamp_end");
        ClockClass clock = metadata.clocks().values().iterator().next();
        assertThat(clock.frequency()).as("a nanosecond clock, so cycles add to the offset").isEqualTo(1_000_000_000L);
        long offsetNs = clock.offsetSeconds() * 1_000_000_000L + clock.offsetCycles();

        long expectedBeginNs = 0;
        long expectedEndNs = 0;
        try (FileChannel channel = FileChannel.open(copy.resolve("chan0_0"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long at = 0;
            for (int packet = 0; at < channel.size(); packet++) {
                long packetBits = read(channel, at + packetSizeAt);
                long endNs = offsetNs + read(channel, at + timestampEndAt);
                if (packet == FIRST_LOSSY_PACKET - 1) {
                    expectedBeginNs = endNs;
                }
                if (packet == FIRST_LOSSY_PACKET) {
                    expectedEndNs = endNs;
                }
                if (packet >= FIRST_LOSSY_PACKET) {
                    write(channel, at + discardedAt, read(channel, at + discardedAt) + DISCARDED);
                }
                at += packetBits / 8;
            }
        }

        AnalysisReport report = NetworkAnalysis.analyze(copy, AnalysisOptions.defaults());
        assertThat(report.lostEvents()).containsExactly(
                new LostRange("events", DISCARDED, expectedBeginNs, expectedEndNs, "chan0_0"));
        assertThat(expectedBeginNs).isBetween(report.startNs(), report.endNs());
        // the figures themselves are what the trace holds: the edit changed no event
        AnalysisReport intact = NetworkAnalysis.analyze(original, AnalysisOptions.defaults());
        assertThat(report.interfaces()).isEqualTo(intact.interfaces());
        assertThat(intact.lostEvents()).isEmpty();
    }

    /** Bytes before the named field of a struct of byte-aligned integers and arrays (all of it for null). */
    private static int bytes(StructType struct, String upTo) {
        int bits = 0;
        for (Field field : struct.fields()) {
            if (field.name().equals(upTo)) {
                return bits / 8;
            }
            bits += bits(field.type());
        }
        assertThat(upTo).as("field in the struct").isNull();
        return bits / 8;
    }

    private static int bits(FieldType type) {
        if (type instanceof IntegerType integer) {
            assertThat(integer.alignmentBits()).isEqualTo(integer.sizeBits() % 8 == 0 ? 8 : integer.alignmentBits());
            return integer.sizeBits();
        }
        ArrayType array = (ArrayType) type;
        return array.length() * bits(array.element());
    }

    private static long read(FileChannel channel, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(buffer, position);
        return buffer.getLong(0);
    }

    private static void write(FileChannel channel, long position, long value) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        channel.write(buffer, position);
    }
}
