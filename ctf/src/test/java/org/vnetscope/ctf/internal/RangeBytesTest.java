package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;

/**
 * {@link TraceReader#bytesOver}: a copy of a trace holding only the bytes it names (the rest of each stream file a
 * hole of zeros, as a sparse copy leaves it) reads over the range exactly as the whole trace does, discard records
 * included, on real traces and ranges at the start, in the middle, at the end, of one instant and past the end.
 */
class RangeBytesTest {

    @TempDir
    Path dir;

    static Stream<Path> realTraces() {
        return SplitTest.realTraces();
    }

    @ParameterizedTest
    @MethodSource("realTraces")
    void aCopyOfTheNamedBytesReadsOverTheRangeAsTheWhole(Path trace) throws IOException {
        assumeTrue(Files.isDirectory(trace), trace + " not found (shared traces absent): skipped");
        List<Long> times = new ArrayList<>();
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                if (reader.event() != null) {
                    times.add(reader.event().timestampNs());
                }
            }
        }
        times.sort(null);
        long at = times.get(times.size() / 2);
        long[][] ranges = {
            {times.get(times.size() / 3), times.get(2 * times.size() / 3)},
            {Long.MIN_VALUE, times.get(times.size() / 10)},
            {times.get(9 * times.size() / 10), Long.MAX_VALUE},
            {at, at},
            {times.get(times.size() - 1) + 1, Long.MAX_VALUE},
        };
        long total = 0;
        long copiedForTheMiddle = 0;
        for (int r = 0; r < ranges.length; r++) {
            long begin = ranges[r][0];
            long end = ranges[r][1];
            Path copy = dir.resolve("copy" + r);
            long copied = copyOver(trace, copy, begin, end);
            if (r == 0) {
                copiedForTheMiddle = copied;
                total = streamBytes(trace);
            }
            assertThat(records(copy, begin, end)).as("%s over %d..%d", trace, begin, end)
                    .isEqualTo(records(trace, begin, end));
        }
        assertThat(copiedForTheMiddle).isLessThanOrEqualTo(total);
        if (trace.endsWith(Path.of("discards/trace/kernel"))) {
            // 162 packets: a third of the trace's time needs well under all of them
            assertThat(copiedForTheMiddle).isLessThan(total * 3 / 4);
        }
    }

    /** Every record read over the range: time, class, stream file name and the hash of every field; discards whole. */
    private static List<String> records(Path trace, long begin, long end) {
        List<String> records = new ArrayList<>();
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            reader.limitTo(begin, end);
            while (reader.next()) {
                Event event = reader.event();
                if (event != null) {
                    records.add(event.timestampNs() + " " + event.name() + " " + event.stream().path().getFileName()
                            + " " + Long.toHexString(event.decodeAll()));
                } else {
                    Discard lost = reader.discard();
                    records.add(lost.beginNs() + " lost " + lost.kind() + " " + lost.count() + " until "
                            + lost.endNs() + " " + lost.stream().path().getFileName());
                }
            }
        }
        return records;
    }

    /**
     * Copies the trace as a remote copy would: every file but the stream files whole, of each stream file the bytes
     * named (the rest left a hole), or the file whole when none are named. Returns the stream bytes copied.
     */
    private static long copyOver(Path trace, Path copy, long begin, long end) throws IOException {
        Files.createDirectories(copy.resolve("index"));
        Files.copy(trace.resolve("metadata"), copy.resolve("metadata"));
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Path file : streamFiles(trace)) {
            sizes.put(file.getFileName().toString(), Files.size(file));
            Path index = trace.resolve("index").resolve(file.getFileName() + ".idx");
            if (Files.exists(index)) {
                Files.copy(index, copy.resolve("index").resolve(index.getFileName()));
            }
        }
        Map<String, long[]> needed = TraceReader.bytesOver(copy, sizes, begin, end);
        long copied = 0;
        for (Path file : streamFiles(trace)) {
            String name = file.getFileName().toString();
            long[] ranges = needed.get(name);
            if (ranges == null) {
                Files.copy(file, copy.resolve(name));
                copied += Files.size(file);
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            try (RandomAccessFile out = new RandomAccessFile(copy.resolve(name).toFile(), "rw")) {
                out.setLength(bytes.length);
                for (int i = 0; i < ranges.length; i += 2) {
                    assertThat(ranges[i] + ranges[i + 1]).isLessThanOrEqualTo(bytes.length);
                    if (i > 0) {
                        assertThat(ranges[i]).isGreaterThanOrEqualTo(ranges[i - 2] + ranges[i - 1]);
                    }
                    out.seek(ranges[i]);
                    out.write(bytes, (int) ranges[i], (int) ranges[i + 1]);
                    copied += ranges[i + 1];
                }
            }
        }
        return copied;
    }

    private static List<Path> streamFiles(Path trace) {
        try (Stream<Path> files = Files.list(trace)) {
            return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().equals("metadata"))
                    .filter(file -> !file.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long streamBytes(Path trace) throws IOException {
        long total = 0;
        for (Path file : streamFiles(trace)) {
            total += Files.size(file);
        }
        return total;
    }
}
