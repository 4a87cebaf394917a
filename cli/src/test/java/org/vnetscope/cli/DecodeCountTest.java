package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * How {@code dump --decode-only} adds up the time parts of a real trace (the lab sample with the tracer's lost
 * events): the sum of the parts when they met exactly, one reading of the whole when the split says they did not,
 * and the earliest part's error when parts fail.
 */
class DecodeCountTest {
    private static final Path TRACE = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab2/discards/trace/kernel");

    private static TraceReader open() {
        return TraceReader.open(TRACE, TraceReader.Warnings.IGNORE);
    }

    private static DecodeCount.Result oneThread() {
        try (TraceReader reader = open()) {
            return DecodeCount.count(reader, 1, () -> {
                throw new AssertionError("one part always meets itself");
            }, message -> { });
        }
    }

    /**
     * A real reader whose split says what a test wants: whether the parts met, and which parts fail at their first
     * record (null for a part that reads normally).
     */
    private static final class Steered implements TraceReader {
        private final TraceReader reader;
        private final boolean seamless;
        private final List<RuntimeException> failures;
        private final RuntimeException failure;

        Steered(TraceReader reader, boolean seamless, List<RuntimeException> failures, RuntimeException failure) {
            this.reader = reader;
            this.seamless = seamless;
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public TraceReader.Split split(int parts) {
            TraceReader.Split real = reader.split(parts);
            List<TraceReader> steered = new ArrayList<>();
            for (int i = 0; i < real.parts().size(); i++) {
                RuntimeException fails = i < failures.size() ? failures.get(i) : null;
                steered.add(new Steered(real.parts().get(i), true, List.of(), fails));
            }
            return new TraceReader.Split() {
                @Override
                public List<TraceReader> parts() {
                    return steered;
                }

                @Override
                public boolean seamless() {
                    return real.seamless() && seamless;
                }
            };
        }

        @Override
        public boolean next() {
            if (failure != null) {
                throw failure;
            }
            return reader.next();
        }

        @Override
        public Event event() {
            return reader.event();
        }

        @Override
        public Discard discard() {
            return reader.discard();
        }

        @Override
        public List<Trace> traces() {
            return reader.traces();
        }

        @Override
        public List<StreamFile> streams() {
            return reader.streams();
        }

        @Override
        public void limitTo(long beginNs, long endNs) {
            reader.limitTo(beginNs, endNs);
        }

        @Override
        public long startNs() {
            return reader.startNs();
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    @Test
    void partsThatMetExactlyAddUpToOneReading() {
        DecodeCount.Result whole = oneThread();
        assertThat(whole.events()).isPositive();
        List<String> warnings = new ArrayList<>();
        try (TraceReader reader = open()) {
            DecodeCount.Result parts = DecodeCount.count(reader, 3, () -> {
                throw new AssertionError("the whole is not read again");
            }, warnings::add);
            assertThat(parts.threads()).isBetween(2, 3);
            assertThat(parts.events()).isEqualTo(whole.events());
            assertThat(parts.checksum()).isEqualTo(whole.checksum());
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void partsThatDidNotMeetAreNotAddedUpButTheWholeIsReadAgain() {
        DecodeCount.Result whole = oneThread();
        AtomicInteger reopened = new AtomicInteger();
        List<String> warnings = new ArrayList<>();
        try (TraceReader reader = new Steered(open(), false, List.of(), null)) {
            DecodeCount.Result result = DecodeCount.count(reader, 2, () -> {
                reopened.incrementAndGet();
                return open();
            }, warnings::add);
            assertThat(result).isEqualTo(new DecodeCount.Result(whole.events(), whole.checksum(), 1));
        }
        assertThat(reopened).hasValue(1);
        assertThat(warnings).singleElement().asString().contains("timestamps go back across a cut");
    }

    @Test
    void theEarliestPartsErrorIsTheOneReported() {
        CtfException early = new CtfException(Path.of("a"), 10, "early");
        CtfException late = new CtfException(Path.of("b"), 20, "late");
        try (TraceReader bothFail = new Steered(open(), true, List.of(early, late), null)) {
            assertThatThrownBy(() -> DecodeCount.count(bothFail, 2, () -> null, message -> { })).isSameAs(early);
        }
        List<RuntimeException> secondOnly = new ArrayList<>();
        secondOnly.add(null);
        secondOnly.add(late);
        try (TraceReader secondFails = new Steered(open(), true, secondOnly, null)) {
            assertThatThrownBy(() -> DecodeCount.count(secondFails, 2, () -> null, message -> { })).isSameAs(late);
        }
    }
}
