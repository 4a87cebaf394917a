package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.document.HostTraces;

/** How the job cuts its work and puts the results back together. */
class HostsJobTest {

    @Test
    void onePartPerHostKeepingItsTracesAsAbsolutePathsAndItsRange() {
        List<TracePart> parts = TracePart.plan(List.of(
                new HostTraces(List.of(Path.of("a/trace/kernel")), true, "a/trace/kernel", 5, 9),
                new HostTraces(List.of(Path.of("b/kernel"), Path.of("b/ust")), false, "b", Long.MIN_VALUE,
                        Long.MAX_VALUE)));
        Path here = Path.of("").toAbsolutePath();
        assertThat(parts).containsExactly(
                new TracePart(0, 0, 1, List.of(here.resolve("a/trace/kernel").toString()), true, "a/trace/kernel",
                        5, 9),
                new TracePart(1, 0, 1, List.of(here.resolve("b/kernel").toString(), here.resolve("b/ust").toString()),
                        false, "b", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void reportsComeBackInHostOrderWhateverOrderTasksEnd() {
        AnalysisReport first = report("first");
        AnalysisReport second = report("second");
        List<AnalysisReport> folded = HostsJob.fold(2, List.of(new TracePart.PartReport(1, 0, second, null),
                new TracePart.PartReport(0, 0, first, null)));
        assertThat(folded).containsExactly(first, second);
    }

    @Test
    void aHostOfSeveralPartsIsRefusedUntilPartsCarryStates() {
        assertThatThrownBy(() -> HostsJob.fold(1, List.of(new TracePart.PartReport(0, 1, report("b"), null),
                new TracePart.PartReport(0, 0, report("a"), null))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("2 parts");
    }

    @Test
    void aTraceATaskCannotReadIsTheUsersErrorNotSparks(@TempDir Path scratch) {
        Path missing = scratch.resolve("gone/trace/kernel");
        List<HostTraces> hosts = List.of(new HostTraces(List.of(missing), true, missing.toString(), Long.MIN_VALUE,
                Long.MAX_VALUE));
        assertThatThrownBy(() -> HostsJob.run(SparkTests.session(), hosts, AnalysisOptions.defaults()))
                .isInstanceOf(CtfException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void tasksStartWithTheLargestTracesTiesInHostOrder(@TempDir Path scratch) throws Exception {
        Path small = folder(scratch.resolve("small"), 100);
        Path large = folder(scratch.resolve("large"), 5_000);
        Path alsoSmall = folder(scratch.resolve("also-small"), 100);
        List<TracePart> parts = TracePart.plan(List.of(host(small), host(large), host(alsoSmall),
                host(scratch.resolve("missing"))));

        List<TracePart> ordered = HostsJob.largestFirst(parts, new org.apache.hadoop.conf.Configuration());

        assertThat(ordered).extracting(TracePart::host).containsExactly(1, 0, 2, 3);
        assertThat(parts.get(1).traceBytes(null)).isEqualTo(5_000);
        assertThat(parts.get(3).traceBytes(null)).isZero();
    }

    @Test
    void theFirstFailureToldIsTheFirstHostsWhateverOrderTasksEnd() {
        CtfException third = new CtfException(Path.of("c"), -1, "third host's trace");
        CtfException second = new CtfException(Path.of("b"), -1, "second host's trace");
        assertThatThrownBy(() -> HostsJob.fold(3, List.of(new TracePart.PartReport(2, 0, null, third),
                new TracePart.PartReport(0, 0, report("a"), null), new TracePart.PartReport(1, 0, null, second))))
                .isSameAs(second);
    }

    private static HostTraces host(Path trace) {
        return new HostTraces(List.of(trace), true, trace.toString(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A folder holding this many bytes, in two files, one of them a level down. */
    private static Path folder(Path folder, int bytes) throws java.io.IOException {
        java.nio.file.Files.createDirectories(folder.resolve("index"));
        java.nio.file.Files.write(folder.resolve("channel0_0"), new byte[bytes - 10]);
        java.nio.file.Files.write(folder.resolve("index/channel0_0.idx"), new byte[10]);
        return folder;
    }

    private static AnalysisReport report(String trace) {
        return new AnalysisReport(trace, 0, 0, 1, List.of(), List.of(), List.of(), List.of(), null, List.of(),
                null, List.of(), List.of(), List.of(), List.of());
    }
}
