package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.TraceReader.PassedOver;

/**
 * A reader told to pass over some event classes ({@link TraceReader#passOver}) yields exactly the other records of
 * the reader alone, in the same order with the same values (the events after one stepped over in their stream
 * included), every discard record, and counts what it left out with its time span: read alone, read ahead on a
 * thread of its own, limited to a time range, and cut into time parts.
 */
class PassOverTest {

    /** About half of any trace's event classes, whatever their names: those whose name hashes to an odd number. */
    private static final Predicate<String> WANTED = name -> (name.hashCode() & 1) == 0;

    static java.util.stream.Stream<List<Path>> realTraces() {
        return ReadAheadTest.realTraces();
    }

    private static TraceReader open(List<Path> traces) {
        traces.forEach(trace -> assumeTrue(Files.isDirectory(trace), trace + " not found (shared traces absent): skipped"));
        return TraceReader.open(traces, TraceReader.Warnings.IGNORE);
    }

    /** What a record line of {@link ReadAheadTest#records} names: an event class, or "lost" for a discard. */
    private static String nameOf(String record) {
        String[] words = record.split(" ", 4);
        return words[1].equals("lost") ? "lost" : words[2];
    }

    private static long timeOf(String record) {
        return Long.parseLong(record.split(" ", 2)[0]);
    }

    /** The records of the reader alone that a pass-over keeps, and what it leaves out. */
    private record Expected(List<String> kept, PassedOver passedOver) {
        static Expected of(List<String> all, boolean bothSides) {
            List<String> kept = new ArrayList<>();
            PassedOver left = PassedOver.NONE;
            for (String record : all) {
                String name = nameOf(record);
                if (name.equals("lost") || WANTED.test(name)) {
                    kept.add(record);
                } else {
                    long time = timeOf(record);
                    left = left.plus(new PassedOver(1, time, time));
                }
            }
            if (bothSides) {
                assertThat(left.events()).isPositive();
                assertThat(kept.size()).isPositive();
            }
            return new Expected(kept, left);
        }
    }

    @ParameterizedTest
    @MethodSource("realTraces")
    void aReaderAloneAndReadAheadYieldTheRecordsNotPassedOverAndCountTheOthers(List<Path> traces) {
        Expected expected;
        try (TraceReader reader = open(traces)) {
            expected = Expected.of(ReadAheadTest.records(reader), true);
        }
        try (TraceReader reader = open(traces)) {
            assertThat(reader.passOver(WANTED)).isTrue();
            assertThat(ReadAheadTest.records(reader)).isEqualTo(expected.kept());
            assertThat(reader.passedOver()).isEqualTo(expected.passedOver());
        }
        try (TraceReader reader = open(traces).readingAhead()) {
            assertThat(reader.passOver(WANTED)).isTrue();
            assertThat(ReadAheadTest.records(reader)).isEqualTo(expected.kept());
            assertThat(reader.passedOver()).isEqualTo(expected.passedOver());
            assertThatThrownBy(() -> reader.passOver(WANTED)).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("realTraces")
    void aTimeRangeAndTimePartsPassOverWhatTheirRecordsWouldHoldAlone(List<Path> traces) {
        List<String> all;
        try (TraceReader reader = open(traces)) {
            all = ReadAheadTest.records(reader);
        }
        long first = timeOf(all.get(0));
        long last = timeOf(all.get(all.size() - 1));
        long begin = first + (last - first) / 4;
        long end = first + (last - first) / 2;
        Expected inRange;
        try (TraceReader reader = open(traces)) {
            reader.limitTo(begin, end);
            inRange = Expected.of(ReadAheadTest.records(reader), false);
        }
        try (TraceReader reader = open(traces)) {
            reader.limitTo(begin, end);
            reader.passOver(WANTED);
            assertThat(ReadAheadTest.records(reader)).isEqualTo(inRange.kept());
            assertThat(reader.passedOver()).isEqualTo(inRange.passedOver());
        }

        Expected whole = Expected.of(all, true);
        try (TraceReader reader = open(traces)) {
            TraceReader.Split split = reader.split(3);
            List<String> parts = new ArrayList<>();
            PassedOver left = PassedOver.NONE;
            for (TraceReader part : split.parts()) {
                assertThat(part.passOver(WANTED)).isTrue();
                parts.addAll(ReadAheadTest.records(part));
                left = left.plus(part.passedOver());
            }
            assumeTrue(split.seamless(), "timestamps go back across a cut: the parts are not the whole");
            assertThat(parts).isEqualTo(whole.kept());
            assertThat(left).isEqualTo(whole.passedOver());
            split.parts().forEach(TraceReader::close);
        }
    }
}
