package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.compact;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.lttng;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.packet;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.twoCpus;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.valueEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * A reader read ahead on a thread of its own ({@link TraceReader#readingAhead()}) yields what the reader alone
 * yields: the same records in the same order, every field of every scope with the same value, discards whole, and
 * the same error after the same records; it stops its thread when closed early.
 */
class ReadAheadTest {
    static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final TraceClass METADATA = lttng(0, 0, 1_000_000_000L, valueEvent(1), valueEvent(2));

    @TempDir
    Path dir;

    /** Fields of the packet header and context, which a record reads from its packet's frames. */
    private static final List<FieldKey> PACKET_FIELDS = Stream.of("magic", "stream_id", "stream_instance_id",
            "timestamp_begin", "timestamp_end", "content_size", "packet_size", "packet_seq_num", "events_discarded",
            "cpu_id").map(FieldKey::of).toList();

    /**
     * Every record with all it holds: time and cycles, class, stream, the hash of every field, the packet header and
     * context fields, and the packet context and payload materialized field by field (read again from the bytes).
     */
    static List<String> records(TraceReader reader) {
        List<String> records = new ArrayList<>();
        while (reader.next()) {
            Event event = reader.event();
            if (event != null) {
                StringBuilder packet = new StringBuilder();
                for (FieldKey key : PACKET_FIELDS) {
                    packet.append(event.has(key) ? Long.toString(event.getLong(key)) : "-").append(' ');
                }
                records.add(event.timestampNs() + " " + event.cycles() + " " + event.name() + " "
                        + event.classIndex() + " " + event.stream().path() + " " + Long.toHexString(event.decodeAll())
                        + " " + packet + text(event.scope(Scope.PACKET_CONTEXT)) + " "
                        + text(event.scope(Scope.EVENT_PAYLOAD)));
            } else {
                Discard lost = reader.discard();
                records.add(lost.beginNs() + " lost " + lost.kind() + " " + lost.count() + " until " + lost.endNs()
                        + " " + lost.stream().path());
            }
        }
        return records;
    }

    /** A materialized value as text, variants and arrays within it written out (not as object identities). */
    private static String text(Object value) {
        if (value instanceof Object[] values) {
            StringBuilder text = new StringBuilder("[");
            for (Object element : values) {
                text.append(text.length() > 1 ? ", " : "").append(text(element));
            }
            return text.append(']').toString();
        }
        if (value instanceof Event.VariantValue variant) {
            return "<" + variant.option() + ": " + text(variant.value()) + ">";
        }
        return String.valueOf(value);
    }

    static Stream<List<Path>> realTraces() {
        Path shared = Path.of(System.getProperty("vnetscope.traces", "../../shared/traces")).resolve("public");
        return Stream.of(
                List.of(REPO.resolve("samples/bridge-basic/trace/kernel")),
                List.of(REPO.resolve("samples/lab2/discards/trace/kernel")),
                // two traces of different layouts in one reader: frames of both sizes go round
                List.of(REPO.resolve("samples/lab2/ipv6/trace/kernel"),
                        REPO.resolve("samples/lab3/scenarios/g07-2br-vlan-offl-1quiet/trace/kernel")),
                List.of(shared.resolve("tc-many-threads")),
                List.of(shared.resolve("tc-flipping-endianness")));
    }

    @ParameterizedTest
    @MethodSource("realTraces")
    void aRealTraceReadAheadGivesEveryRecordAndValueOfTheReaderAlone(List<Path> traces) {
        traces.forEach(trace -> assumeTrue(Files.isDirectory(trace), trace + " not found (shared traces absent): skipped"));
        List<String> alone;
        try (TraceReader reader = TraceReader.open(traces, TraceReader.Warnings.IGNORE)) {
            alone = records(reader);
        }
        List<String> ahead;
        try (TraceReader reader = TraceReader.open(traces, TraceReader.Warnings.IGNORE).readingAhead()) {
            assertThat(reader).isInstanceOf(ReadAhead.class);
            ahead = records(reader);
            assertThat(reader.next()).isFalse();
        }
        assertThat(alone).hasSizeGreaterThan(3 * 1024); // several batches
        assertThat(ahead).isEqualTo(alone);
    }

    /** A reader of those traces, read ahead at that pace. */
    private static ReadAhead paced(TraceReader reader, TraceReader.Preparation<?> preparation, ReadAheadPace pace) {
        return new ReadAhead((MergingReader) reader, preparation, pace);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> realTracesHandedOver() {
        return realTraces().flatMap(traces -> Stream.of(1, 700).map(every ->
                org.junit.jupiter.params.provider.Arguments.of(traces, every)));
    }

    /**
     * The source handed from the caller's thread to the reading thread and back, every record to every few batches:
     * each record comes once, in its place, whichever thread read it.
     */
    @ParameterizedTest
    @MethodSource("realTracesHandedOver")
    void handingTheSourceBetweenTheThreadsGivesEveryRecordOfTheReaderAlone(List<Path> traces, int every) {
        traces.forEach(trace -> assumeTrue(Files.isDirectory(trace), trace + " not found (shared traces absent): skipped"));
        List<String> alone;
        try (TraceReader reader = TraceReader.open(traces, TraceReader.Warnings.IGNORE)) {
            alone = records(reader);
        }
        ReadAheadPace.Alternating pace = new ReadAheadPace.Alternating(every);
        List<String> handedOver;
        try (ReadAhead reader = paced(TraceReader.open(traces, TraceReader.Warnings.IGNORE), null, pace)) {
            handedOver = records(reader);
            assertThat(reader.next()).isFalse();
            assertThat(reader.event()).isNull();
        }
        assertThat(handedOver).isEqualTo(alone);
        assertThat(pace.changes).isGreaterThan((int) Math.min(6, alone.size() / (every + 3L * 256)));
    }

    @Test
    void recordsReadOnTheCallersThreadAreNotPrepared() {
        Path trace = REPO.resolve("samples/lab2/discards/trace/kernel");
        long[] preparedOrNot;
        try (ReadAhead reader = paced(TraceReader.open(trace, TraceReader.Warnings.IGNORE), new Hashes(),
                new ReadAheadPace.Alternating(1_000))) {
            preparedOrNot = preparedOrNot(reader);
        }
        assertThat(preparedOrNot[0]).isPositive();
        assertThat(preparedOrNot[1]).isGreaterThanOrEqualTo(1_000); // the first thousand at least, on this thread
    }

    /**
     * Reads every record, each prepared one checked against the event; the caller lags behind (it materializes every
     * payload), so the reading thread has time to prepare. The events prepared, and those not.
     */
    private static long[] preparedOrNot(TraceReader reader) {
        long prepared = 0;
        long unprepared = 0;
        while (reader.next()) {
            Event event = reader.event();
            long[] slot = (long[]) reader.prepared();
            if (event == null) {
                assertThat(slot).isNull();
                continue;
            }
            text(event.scope(Scope.EVENT_PAYLOAD));
            if (slot == null) {
                unprepared++;
            } else {
                assertThat(slot).containsExactly(event.timestampNs(), event.decodeAll());
                prepared++;
            }
        }
        return new long[] {prepared, unprepared};
    }

    @Test
    void closingStopsTheReadingThreadWhereverTheSourceIs() throws Exception {
        Path trace = REPO.resolve("samples/bridge-basic/trace/kernel");
        for (int read : new int[] {0, 1, 299, 300, 301, 800, 1_500, 2_600}) {
            ReadAhead reader = paced(TraceReader.open(trace, TraceReader.Warnings.IGNORE), null,
                    new ReadAheadPace.Alternating(300));
            for (int i = 0; i < read; i++) {
                assertThat(reader.next()).isTrue();
            }
            reader.close();
            assertThat(Thread.getAllStackTraces().keySet()).as("after %d records", read)
                    .noneMatch(thread -> thread.getName().equals("vnetscope-read-ahead") && thread.isAlive());
        }
    }

    @Test
    void fieldsReadThroughTheKeysOfAnalysesAreThoseOfTheReaderAlone() {
        Path trace = REPO.resolve("samples/bridge-basic/trace/kernel");
        FieldKey name = FieldKey.of("name");
        FieldKey skb = FieldKey.of("skbaddr");
        FieldKey saddr = FieldKey.of("network_header", "ipv4", "saddr");
        List<String> alone = new ArrayList<>();
        List<String> ahead = new ArrayList<>();
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            fields(reader, name, skb, saddr, alone);
        }
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE).readingAhead()) {
            fields(reader, name, skb, saddr, ahead);
        }
        assertThat(alone).anyMatch(line -> line.contains("vnet0")).anyMatch(line -> line.contains("[-64, -88"));
        assertThat(ahead).isEqualTo(alone);
    }

    private static void fields(TraceReader reader, FieldKey name, FieldKey skb, FieldKey saddr, List<String> into) {
        byte[] buffer = new byte[16];
        while (reader.next()) {
            Event event = reader.event();
            if (event == null || !event.has(skb)) {
                continue;
            }
            StringBuilder line = new StringBuilder().append(Long.toHexString(event.getLong(skb)));
            if (event.has(name)) {
                int length = event.copyBytes(name, buffer);
                line.append(' ').append(event.getString(name)).append(' ').append(length);
            }
            if (event.has(saddr)) {
                line.append(' ').append(Arrays.toString(event.getBytes(saddr)));
            }
            into.add(line.toString());
        }
    }

    @Test
    void discardsComeInTheirPlaceBetweenTheEvents() {
        List<String> alone;
        try (TraceReader reader = Model.open(dir.resolve("a"), METADATA, twoCpus())) {
            alone = records(reader);
        }
        List<String> ahead;
        try (TraceReader reader = Model.open(dir.resolve("b"), METADATA, twoCpus()).readingAhead()) {
            ahead = records(reader);
        }
        assertThat(alone).anyMatch(line -> line.contains(" lost EVENTS 5 "))
                .anyMatch(line -> line.contains(" lost PACKETS 1 "));
        assertThat(ahead).isEqualTo(alone.stream().map(line -> line.replace(dir.resolve("a").toString(),
                dir.resolve("b").toString())).toList());
    }

    @Test
    void anErrorComesAfterTheRecordsBeforeIt() {
        byte[] good = packet(0, 10_000, 11_000, 0, 0, 0, w -> {
            for (int e = 0; e < 3000; e++) {
                compact(w, 1, 10_000 + e / 3, e);
            }
        });
        byte[] bad = packet(0, 11_000, 12_000, 1, 0, 0, w -> compact(w, 7, 11_500, 1)); // no event class 7
        Map<String, byte[]> files = Map.of("chan_0", BitWriter.concat(good, bad));
        List<String> alone = new ArrayList<>();
        Throwable aloneFailure = readUntilFailure(Model.open(dir.resolve("t"), METADATA, files), alone);
        List<String> ahead = new ArrayList<>();
        Throwable aheadFailure = readUntilFailure(Model.open(dir.resolve("t"), METADATA, files).readingAhead(), ahead);
        assertThat(aloneFailure).isInstanceOf(CtfException.class).hasMessageContaining("unknown event id 7");
        assertThat(aheadFailure).isInstanceOf(CtfException.class).hasMessage(aloneFailure.getMessage());
        assertThat(alone).hasSize(3000);
        assertThat(ahead).isEqualTo(alone);
        // whichever thread reads when the error comes: the source handed over every so many records
        for (int every : new int[] {1, 100, 700, 2_999, 3_000}) {
            List<String> handedOver = new ArrayList<>();
            Throwable failure = readUntilFailure(paced(Model.open(dir.resolve("t"), METADATA, files), null,
                    new ReadAheadPace.Alternating(every)), handedOver);
            assertThat(failure).as("every %d", every).isInstanceOf(CtfException.class)
                    .hasMessage(aloneFailure.getMessage());
            assertThat(handedOver).as("every %d", every).isEqualTo(alone);
        }
    }

    private static Throwable readUntilFailure(TraceReader reader, List<String> into) {
        try (reader) {
            while (reader.next()) {
                into.add(reader.event().timestampNs() + " " + reader.event().decodeAll());
            }
        } catch (RuntimeException e) {
            return e;
        }
        return null;
    }

    @Test
    void aTimeRangeSetBeforeReadingAheadIsKept() {
        Path trace = REPO.resolve("samples/lab2/discards/trace/kernel");
        List<String> alone;
        long begin;
        long end;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            List<Long> times = new ArrayList<>();
            while (reader.next()) {
                if (reader.event() != null) {
                    times.add(reader.event().timestampNs());
                }
            }
            begin = times.get(times.size() / 3);
            end = times.get(times.size() / 2);
        }
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            reader.limitTo(begin, end);
            alone = records(reader);
        }
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            reader.limitTo(begin, end);
            assertThat(records(reader.readingAhead())).isNotEmpty().isEqualTo(alone);
        }
    }

    /** The event's time and the hash of its fields, as the reading thread works them out. */
    private static final class Hashes implements TraceReader.Preparation<long[]> {
        @Override
        public long[] newSlot() {
            return new long[2];
        }

        @Override
        public void prepare(Event event, long[] slot) {
            slot[0] = event.timestampNs();
            slot[1] = event.decodeAll();
        }
    }

    @Test
    void aPreparationIsWhatTheCallerWouldWorkOutOfTheEventItself() {
        Path trace = REPO.resolve("samples/lab2/discards/trace/kernel");
        Hashes hashes = new Hashes();
        long[] preparedOrNot;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE).readingAhead(hashes)) {
            assertThat(reader.preparation()).isSameAs(hashes);
            preparedOrNot = preparedOrNot(reader);
        }
        assertThat(preparedOrNot[0]).isPositive();
        assertThat(preparedOrNot[0] + preparedOrNot[1]).isGreaterThan(3 * 1024);
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            assertThat(reader.preparation()).isNull();
            assertThat(reader.next()).isTrue();
            assertThat(reader.prepared()).isNull();
        }
    }

    @Test
    void closingEarlyStopsTheReadingThreadAndReadingAheadComesBeforeReading() throws Exception {
        Path trace = REPO.resolve("samples/bridge-basic/trace/kernel");
        TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE).readingAhead();
        for (int i = 0; i < 10; i++) {
            assertThat(reader.next()).isTrue();
        }
        reader.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName()
                .equals("vnetscope-read-ahead") && thread.isAlive());
        try (TraceReader started = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            started.next();
            assertThatThrownBy(started::readingAhead).isInstanceOf(IllegalStateException.class);
        }
        // never started: closing has no thread to stop
        TraceReader.open(trace, TraceReader.Warnings.IGNORE).readingAhead().close();
    }
}
