package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.compact;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.lttng;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.packet;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.read;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.twoCpus;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.valueEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * A reader cut into time parts ({@link TraceReader#split}): read one after the other, the parts give exactly what
 * the whole gives, on real traces and on hand-built streams with discards, lost packets and timestamps that go
 * back; and a cut that timestamps went back across is told.
 */
class SplitTest {
    private static final TraceClass METADATA = lttng(0, 0, 1_000_000_000L, valueEvent(1), valueEvent(2));
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));

    @TempDir
    Path dir;

    /** Every record with all it holds: time, class, stream, and the hash of every field; discards whole. */
    private static List<String> records(TraceReader reader) {
        List<String> records = new ArrayList<>();
        while (reader.next()) {
            Event event = reader.event();
            if (event != null) {
                records.add(event.timestampNs() + " " + event.name() + " " + event.stream().path() + " "
                        + Long.toHexString(event.decodeAll()));
            } else {
                Discard lost = reader.discard();
                records.add(lost.beginNs() + " lost " + lost.kind() + " " + lost.count() + " until " + lost.endNs()
                        + " " + lost.stream().path());
            }
        }
        return records;
    }

    /** A split read part after part on this thread, the parts closed: what they yielded, and the split. */
    private record Joined(List<String> records, TraceReader.Split split) {
    }

    private static Joined readInTurn(TraceReader reader, int parts,
            java.util.function.Function<TraceReader, List<String>> read) {
        TraceReader.Split split = reader.split(parts);
        List<String> joined = new ArrayList<>();
        for (TraceReader part : split.parts()) {
            joined.addAll(read.apply(part));
        }
        split.parts().forEach(TraceReader::close);
        return new Joined(joined, split);
    }

    private List<String> readWhole(Map<String, byte[]> files) {
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, files)) {
            return read(reader);
        }
    }

    private Joined readInParts(Map<String, byte[]> files, int parts) {
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, files)) {
            return readInTurn(reader, parts, ReaderBehaviourTest::read);
        }
    }

    static Stream<Path> realTraces() {
        List<Path> traces = new ArrayList<>(List.of(
                REPO.resolve("samples/bridge-basic/trace/kernel"),
                REPO.resolve("samples/lab2/discards/trace/kernel"),
                REPO.resolve("samples/lab2/ipv6/trace/kernel")));
        Path shared = Path.of(System.getProperty("vnetscope.traces", "../../shared/traces")).resolve("public");
        for (String name : List.of("tc-many-threads", "tc-uneven-streams-partial", "tc-bug446190",
                "tc-flipping-endianness")) {
            traces.add(shared.resolve(name));
        }
        return traces.stream();
    }

    /** The records of a real trace read whole; skips the test when the trace is not there. */
    private static List<String> wholeRecords(Path trace) {
        assumeTrue(Files.isDirectory(trace), trace + " not found (shared traces absent): skipped");
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            return records(reader);
        }
    }

    @ParameterizedTest
    @MethodSource("realTraces")
    void partsOfARealTraceReadInTurnGiveTheWhole(Path trace) {
        List<String> whole = wholeRecords(trace);
        for (int parts : new int[] {2, 3, 7}) {
            try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
                Joined joinedParts = readInTurn(reader, parts, SplitTest::records);
                TraceReader.Split split = joinedParts.split();
                List<String> joined = joinedParts.records();
                assertThat(split.parts()).as("parts of %s", trace).hasSizeBetween(2, parts);
                assertThat(split.seamless()).isTrue();
                assertThat(joined).as("%d parts of %s", parts, trace).isEqualTo(whole);
            }
        }
    }

    /**
     * The cut times, each part then read by a reader of its own limited to its range (as another process would):
     * every event once, in time order, in the part its time falls in.
     */
    @ParameterizedTest
    @MethodSource("realTraces")
    void cutTimesReadAsRangesGiveTheWholesEvents(Path trace) {
        List<String> whole = wholeRecords(trace).stream().filter(record -> !record.contains(" lost ")).toList();
        for (int parts : new int[] {2, 5}) {
            long[] cuts;
            try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
                cuts = reader.cutTimes(parts);
                assertThat(records(reader).stream().filter(record -> !record.contains(" lost ")).toList())
                        .as("read whole after").isEqualTo(whole);
            }
            assertThat(cuts.length).as("cuts of %s", trace).isBetween(1, parts - 1);
            assertThat(cuts).isSorted().doesNotHaveDuplicates();
            List<String> joined = new ArrayList<>();
            for (int i = 0; i <= cuts.length; i++) {
                try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
                    reader.limitTo(i == 0 ? Long.MIN_VALUE : cuts[i - 1] + 1,
                            i == cuts.length ? Long.MAX_VALUE : cuts[i]);
                    records(reader).stream().filter(record -> !record.contains(" lost ")).forEach(joined::add);
                }
            }
            assertThat(joined).as("%d parts of %s", parts, trace).isEqualTo(whole);
        }
    }

    @Test
    void partsReadOnThreadsOfTheirOwnGiveTheWhole() throws Exception {
        Path trace = REPO.resolve("samples/lab2/discards/trace/kernel");
        List<String> whole;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            whole = records(reader);
        }
        assertThat(whole).anyMatch(record -> record.contains(" lost "));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            TraceReader.Split split = reader.split(4);
            List<Future<List<String>>> parts = new ArrayList<>();
            for (TraceReader part : split.parts()) {
                parts.add(threads.submit(() -> records(part)));
            }
            List<String> joined = new ArrayList<>();
            for (Future<List<String>> part : parts) {
                joined.addAll(part.get());
            }
            split.parts().forEach(TraceReader::close);
            assertThat(split.seamless()).isTrue();
            assertThat(joined).isEqualTo(whole);
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void withoutIndexFilesThePartsFindTheirPacketsFromTheHeaders() throws IOException {
        Path original = REPO.resolve("samples/bridge-basic/trace/kernel");
        Path copy = dir.resolve("kernel");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(original)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        assertThat(copy.resolve("index")).doesNotExist();
        List<String> whole;
        try (TraceReader reader = TraceReader.open(copy, TraceReader.Warnings.IGNORE)) {
            whole = records(reader);
        }
        try (TraceReader reader = TraceReader.open(copy, TraceReader.Warnings.IGNORE)) {
            Joined parts = readInTurn(reader, 3, SplitTest::records);
            TraceReader.Split split = parts.split();
            List<String> joined = parts.records();
            assertThat(split.parts()).hasSize(3);
            assertThat(split.seamless()).isTrue();
            assertThat(joined).isEqualTo(whole);
        }
    }

    @Test
    void discardRecordsAndLostPacketsGoWholeToOnePart() {
        List<String> whole;
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, twoCpus())) {
            whole = read(reader);
        }
        assertThat(whole).contains("12000 lost EVENTS 5 until 13000", "12000 lost PACKETS 1 until 13000");
        for (int parts = 2; parts <= 6; parts++) {
            try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, twoCpus())) {
                Joined joinedParts = readInTurn(reader, parts, ReaderBehaviourTest::read);
                TraceReader.Split split = joinedParts.split();
                List<String> joined = joinedParts.records();
                assertThat(split.parts()).hasSizeGreaterThan(1);
                assertThat(split.seamless()).isTrue();
                assertThat(joined).as("%d parts", parts).isEqualTo(whole);
            }
        }
    }

    @Test
    void aCutThatTimestampsWentBackAcrossIsToldAndTheWholeIsToBeRead() {
        // CPU 0's second packet ends with an event from long before: whatever the cut, it lies behind it.
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("chan_0", BitWriter.concat(
                packet(0, 10_000, 20_000, 0, 0, 0, w -> {
                    for (int e = 0; e < 50; e++) {
                        compact(w, 1, 10_000 + e * 200, e);
                    }
                }),
                packet(0, 20_000, 30_000, 1, 0, 0, w -> {
                    for (int e = 0; e < 50; e++) {
                        compact(w, 1, 20_000 + e * 200, 100 + e);
                    }
                    ReaderBehaviourTest.extended(w, 2, 10_001, 999);
                })));
        List<String> whole = readWhole(files);
        Joined parts = readInParts(files, 2);
        TraceReader.Split split = parts.split();
        List<String> joined = parts.records();
        assertThat(split.parts()).hasSize(2);
        assertThat(joined).isNotEqualTo(whole).doesNotContain("10001 ev2 999 chan_0");
        assertThat(split.seamless()).isFalse();
    }

    @Test
    void timestampsGoingBackWithinAPartKeepTheCutSeamless() {
        // The step back is at the very start, far from where two parts of even data meet.
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("chan_0", BitWriter.concat(
                packet(0, 10_000, 20_000, 0, 0, 0, w -> {
                    compact(w, 1, 10_500, 0);
                    ReaderBehaviourTest.extended(w, 1, 10_100, 1);
                    for (int e = 2; e < 50; e++) {
                        compact(w, 1, 10_000 + e * 200, e);
                    }
                }),
                packet(0, 20_000, 30_000, 1, 0, 0, w -> {
                    for (int e = 0; e < 50; e++) {
                        compact(w, 1, 20_000 + e * 200, 100 + e);
                    }
                })));
        List<String> whole = readWhole(files);
        Joined parts = readInParts(files, 2);
        TraceReader.Split split = parts.split();
        List<String> joined = parts.records();
        assertThat(split.parts()).hasSize(2);
        assertThat(joined).isEqualTo(whole);
        assertThat(split.seamless()).isTrue();
    }

    @Test
    void aTraceOfOnePacketIsOnePart() {
        Map<String, byte[]> files = Map.of("chan_0", packet(0, 10_000, 20_000, 0, 0, 0, w -> {
            compact(w, 1, 10_100, 1);
            compact(w, 1, 19_900, 2);
        }));
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, files)) {
            TraceReader.Split split = reader.split(4);
            assertThat(split.parts()).hasSize(1);
            assertThat(read(split.parts().get(0))).containsExactly("10100 ev1 1 chan_0", "19900 ev1 2 chan_0");
            assertThat(split.seamless()).isTrue();
        }
    }

    @Test
    void splitComesBeforeReadingAndInsteadOfATimeRange() {
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, twoCpus())) {
            assertThatThrownBy(() -> reader.split(0)).isInstanceOf(IllegalArgumentException.class);
            reader.next();
            assertThatThrownBy(() -> reader.split(2)).isInstanceOf(IllegalStateException.class);
        }
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, twoCpus())) {
            reader.limitTo(10_000, 11_000);
            assertThatThrownBy(() -> reader.split(2)).isInstanceOf(IllegalStateException.class);
        }
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, twoCpus())) {
            TraceReader.Split split = reader.split(2);
            TraceReader first = split.parts().get(0);
            TraceReader second = split.parts().get(1);
            assertThatThrownBy(() -> first.limitTo(0, 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> second.limitTo(0, 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(split::seamless).isInstanceOf(IllegalStateException.class);
            split.parts().forEach(TraceReader::close);
        }
    }
}
