package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies of a real LTTng kernel trace as LTTng would have written them with other settings, built from the trace's
 * own index files: its streams rotated over files of a few packets ({@code --tracefile-size}, files
 * {@code chan0_0_0}, {@code chan0_0_1}, ... with {@code index/chan0_0_0.idx}, ... as lttng-tools names them), with
 * the oldest files gone ({@code --tracefile-count}), or with events and a packet lost.
 */
final class LttngCopies {
    private static final int INDEX_HEADER = 16;
    /** Where lttng-modules' kernel packet puts these context fields (checked against the index on every packet). */
    private static final int PACKET_SIZE_AT = 56;
    private static final int SEQ_NUM_AT = 64;
    private static final int DISCARDED_AT = 72;

    private LttngCopies() {
    }

    /** One packet: its bytes and its index entry. */
    private record Packet(byte[] data, byte[] entry) {
        long entryLong(int at) {
            return ByteBuffer.wrap(entry).getLong(at);
        }
    }

    /** A stream file's packets, cut where its index says, each checked against its header. */
    private static List<Packet> packets(Path trace, String file) throws IOException {
        byte[] stream = Files.readAllBytes(trace.resolve(file));
        byte[] index = Files.readAllBytes(trace.resolve("index").resolve(file + ".idx"));
        ByteBuffer header = ByteBuffer.wrap(index);
        int entryLength = header.getInt(12);
        assertThat(header.getInt(8)).as("index version 1.1 (with packet_seq_num)").isEqualTo(1);
        List<Packet> packets = new ArrayList<>();
        for (int at = INDEX_HEADER; at < index.length; at += entryLength) {
            byte[] entry = java.util.Arrays.copyOfRange(index, at, at + entryLength);
            ByteBuffer e = ByteBuffer.wrap(entry);
            int offset = (int) e.getLong(0);
            int size = (int) (e.getLong(8) / 8);
            byte[] data = java.util.Arrays.copyOfRange(stream, offset, offset + size);
            ByteBuffer context = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(context.getLong(PACKET_SIZE_AT)).isEqualTo(e.getLong(8));
            assertThat(context.getLong(SEQ_NUM_AT)).isEqualTo(e.getLong(64));
            assertThat(context.getLong(DISCARDED_AT)).isEqualTo(e.getLong(40));
            packets.add(new Packet(data, entry));
        }
        return packets;
    }

    /** Writes packets as one stream file and its index. */
    private static void write(Path trace, String file, List<Packet> packets, byte[] indexHeader) throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        index.writeBytes(indexHeader);
        for (Packet packet : packets) {
            byte[] entry = packet.entry().clone();
            ByteBuffer.wrap(entry).putLong(0, stream.size());
            index.writeBytes(entry);
            stream.writeBytes(packet.data());
        }
        Files.createDirectories(trace.resolve("index"));
        Files.write(trace.resolve(file), stream.toByteArray());
        Files.write(trace.resolve("index").resolve(file + ".idx"), index.toByteArray());
    }

    private static byte[] indexHeader(Path trace, String file) throws IOException {
        return java.util.Arrays.copyOf(Files.readAllBytes(trace.resolve("index").resolve(file + ".idx")),
                INDEX_HEADER);
    }

    private static List<String> streamFiles(Path trace) throws IOException {
        try (Stream<Path> files = Files.list(trace)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(name -> !name.equals("metadata")).sorted().toList();
        }
    }

    private static Path fresh(Path trace, Path into) throws IOException {
        Files.createDirectories(into);
        Files.copy(trace.resolve("metadata"), into.resolve("metadata"));
        return into;
    }

    /**
     * Each stream file cut into files of {@code packetsPerFile} packets, as {@code --tracefile-size} makes them;
     * with {@code keep > 0}, only the newest {@code keep} files remain, numbered as {@code --tracefile-count} numbers
     * them: file n of the rotation is {@code _<n mod keep>}, so after a wrap the newest data has the lowest number.
     */
    static Path rotated(Path trace, Path into, int packetsPerFile, int keep) throws IOException {
        fresh(trace, into);
        for (String file : streamFiles(trace)) {
            List<Packet> packets = packets(trace, file);
            int files = (packets.size() + packetsPerFile - 1) / packetsPerFile;
            for (int n = keep > 0 ? Math.max(0, files - keep) : 0; n < files; n++) {
                List<Packet> part = packets.subList(n * packetsPerFile,
                        Math.min(packets.size(), (n + 1) * packetsPerFile));
                write(into, file + "_" + (keep > 0 ? n % keep : n), part, indexHeader(trace, file));
            }
        }
        return into;
    }

    /**
     * The trace with losses in one stream file, as a tracer in discard mode reports them: its events_discarded
     * counter grows by 5 at the third packet and by 7 more at the sixth, and its fourth packet is missing (a gap in
     * packet_seq_num).
     */
    static Path lossy(Path trace, Path into, String lossyFile) throws IOException {
        fresh(trace, into);
        for (String file : streamFiles(trace)) {
            List<Packet> packets = new ArrayList<>(packets(trace, file));
            if (file.equals(lossyFile)) {
                assertThat(packets.size()).as("packets of " + file).isGreaterThanOrEqualTo(6);
                for (int i = 0; i < packets.size(); i++) {
                    Packet packet = packets.get(i);
                    long discarded = packet.entryLong(40) + (i >= 2 ? 5 : 0) + (i >= 5 ? 7 : 0);
                    ByteBuffer.wrap(packet.data()).order(ByteOrder.LITTLE_ENDIAN).putLong(DISCARDED_AT, discarded);
                    ByteBuffer.wrap(packet.entry()).putLong(40, discarded);
                }
                packets.remove(3);
            }
            write(into, file, packets, indexHeader(trace, file));
        }
        return into;
    }

    /** The packet boundaries of a stream file: offset, size in bytes, timestamp_begin and _end of each. */
    static List<long[]> layout(Path trace, String file) throws IOException {
        List<long[]> layout = new ArrayList<>();
        for (Packet packet : packets(trace, file)) {
            layout.add(new long[] {packet.entryLong(0), packet.entryLong(8) / 8, packet.entryLong(24),
                    packet.entryLong(32)});
        }
        return layout;
    }

    /** A copy of the whole trace folder, index included, to spoil. */
    static Path copy(Path trace, Path into) throws IOException {
        fresh(trace, into);
        Files.createDirectories(into.resolve("index"));
        for (String file : streamFiles(trace)) {
            Files.copy(trace.resolve(file), into.resolve(file));
            Files.copy(trace.resolve("index").resolve(file + ".idx"), into.resolve("index").resolve(file + ".idx"));
        }
        return into;
    }
}
