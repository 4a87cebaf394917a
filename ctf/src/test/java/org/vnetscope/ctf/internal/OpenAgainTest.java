package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * A reader opened again from another ({@link TraceReader#openAgain}) yields what opening the traces again yields:
 * every record and value, whole or over a time range, read on threads of their own side by side, the first reader
 * left unread and still able to open more.
 */
class OpenAgainTest {

    static java.util.stream.Stream<List<Path>> realTraces() {
        return ReadAheadTest.realTraces();
    }

    private static TraceReader open(List<Path> traces) {
        traces.forEach(trace -> assumeTrue(Files.isDirectory(trace), trace + " not found (shared traces absent): skipped"));
        return TraceReader.open(traces, TraceReader.Warnings.IGNORE);
    }

    private static List<String> limited(TraceReader reader, long begin, long end) {
        try (reader) {
            reader.limitTo(begin, end);
            return ReadAheadTest.records(reader);
        }
    }

    @ParameterizedTest
    @MethodSource("realTraces")
    void readersOpenedAgainGiveWhatOpeningAgainGives(List<Path> traces) throws Exception {
        List<String> whole;
        try (TraceReader fresh = open(traces)) {
            whole = ReadAheadTest.records(fresh);
        }
        long first = Long.parseLong(whole.get(0).split(" ", 2)[0]);
        long last = Long.parseLong(whole.get(whole.size() - 1).split(" ", 2)[0]);
        long quarter = (last - first) / 4;
        List<String> early = limited(open(traces), first, first + quarter);
        List<String> late = limited(open(traces), first + 2 * quarter, last);
        try (TraceReader opened = open(traces)) {
            CompletableFuture<List<String>> earlyAgain = CompletableFuture.supplyAsync(
                    () -> limited(opened.openAgain(), first, first + quarter));
            CompletableFuture<List<String>> lateAgain = CompletableFuture.supplyAsync(
                    () -> limited(opened.openAgain(), first + 2 * quarter, last));
            assertThat(earlyAgain.get()).isEqualTo(early);
            assertThat(lateAgain.get()).isEqualTo(late);
            try (TraceReader again = opened.openAgain()) {
                assertThat(ReadAheadTest.records(again)).isEqualTo(whole);
            }
            assertThat(opened.next()).isTrue();
            assertThatThrownBy(opened::openAgain).isInstanceOf(IllegalStateException.class);
        }
    }

    /**
     * Traces a reader gave, opened again in groups ({@link TraceReader#openTraces}), yield what opening their
     * directories yields, with the metadata parsed by the first reader (the same instances, not parsed again).
     */
    @Test
    void tracesOpenedFromAnotherReaderGiveWhatOpeningTheirDirectoriesGives() {
        Path repo = ReadAheadTest.REPO;
        List<Path> directories = List.of(repo.resolve("samples/lab5/recordings/mh-uplink/hosta/trace/kernel"),
                repo.resolve("samples/lab5/recordings/mh-uplink/hostb/trace/kernel"),
                repo.resolve("samples/lab2/ipv6/trace/kernel"));
        List<Trace> traces;
        try (TraceReader all = TraceReader.open(directories, TraceReader.Warnings.IGNORE)) {
            traces = all.traces();
        }
        assertThat(traces).hasSize(3);
        List<List<Trace>> groups = List.of(List.of(traces.get(0)), List.of(traces.get(2)),
                List.of(traces.get(1), traces.get(0)), traces);
        for (List<Trace> group : groups) {
            List<Path> groupDirectories = new ArrayList<>();
            group.forEach(trace -> groupDirectories.add(trace.directory()));
            List<String> fresh;
            try (TraceReader reader = TraceReader.open(groupDirectories, TraceReader.Warnings.IGNORE)) {
                fresh = ReadAheadTest.records(reader);
            }
            try (TraceReader reader = TraceReader.openTraces(group, TraceReader.Warnings.IGNORE)) {
                for (int i = 0; i < group.size(); i++) {
                    assertThat(reader.traces().get(i).metadata()).as("not parsed again")
                            .isSameAs(group.get(i).metadata());
                }
                assertThat(ReadAheadTest.records(reader)).as("%s", groupDirectories).isEqualTo(fresh);
            }
        }
    }
}
