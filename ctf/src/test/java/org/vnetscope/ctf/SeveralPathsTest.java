package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces found under a folder, and traces in several folders opened as one set. */
class SeveralPathsTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path UPLINK = REPO.resolve("samples/lab5/recordings/mh-uplink");

    @Test
    void aFolderOfHostsHoldsOneTracePerHostInNameOrder() {
        assertThat(TraceReader.find(UPLINK)).containsExactly(UPLINK.resolve("hosta/trace/kernel"),
                UPLINK.resolve("hostb/trace/kernel"));
        assertThat(TraceReader.find(UPLINK.resolve("hostb/trace/kernel")))
                .containsExactly(UPLINK.resolve("hostb/trace/kernel"));
    }

    @Test
    void twoFoldersReadAsOneSetGiveEveryEventOfBoth() {
        long a = count(List.of(UPLINK.resolve("hosta")));
        long b = count(List.of(UPLINK.resolve("hostb")));
        try (TraceReader both = TraceReader.open(List.of(UPLINK.resolve("hosta"), UPLINK.resolve("hostb/trace")),
                TraceReader.Warnings.IGNORE)) {
            assertThat(both.traces()).extracting(Trace::hostname).containsExactly("hosta", "hostb");
            long events = 0;
            long last = Long.MIN_VALUE;
            while (both.next()) {
                if (both.event() != null) {
                    events++;
                    assertThat(both.event().timestampNs()).isGreaterThanOrEqualTo(last);
                    last = both.event().timestampNs();
                }
            }
            assertThat(events).isEqualTo(a + b).isPositive();
        }
    }

    @Test
    void aPathWithoutTraceIsAnErrorNamingIt(@TempDir Path empty) {
        assertThatThrownBy(() -> TraceReader.find(empty)).isInstanceOf(CtfException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("no CTF trace found");
        assertThatThrownBy(() -> TraceReader.open(List.of(UPLINK, empty), TraceReader.Warnings.IGNORE))
                .isInstanceOf(CtfException.class).hasMessageContaining(empty.toString());
    }

    private static long count(List<Path> paths) {
        try (TraceReader reader = TraceReader.open(paths, TraceReader.Warnings.IGNORE)) {
            long events = 0;
            while (reader.next()) {
                if (reader.event() != null) {
                    events++;
                }
            }
            return events;
        }
    }
}
