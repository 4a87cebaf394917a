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
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.EventClass;

/**
 * How {@code dump --decode-only} adds up time parts: the sum of the parts when they met exactly, one reading of
 * the whole when they did not, and the earliest part's error. Readers here are stand-ins whose events carry only a
 * hash; the real splitting is tested in the reader's own tests and on real traces in {@link DecodeOnlyTest}.
 */
class DecodeCountTest {

    /** A reader of events that each hash to the given value; split into the given parts. */
    private static final class Stub implements TraceReader {
        private final long[] hashes;
        private final List<TraceReader> parts;
        private final boolean seamless;
        private final RuntimeException failure;
        private int next = -1;
        boolean closed;

        Stub(long[] hashes, List<TraceReader> parts, boolean seamless, RuntimeException failure) {
            this.hashes = hashes;
            this.parts = parts;
            this.seamless = seamless;
            this.failure = failure;
        }

        static Stub of(long... hashes) {
            return new Stub(hashes, List.of(), true, null);
        }

        static Stub failing(RuntimeException failure) {
            return new Stub(new long[0], List.of(), true, failure);
        }

        @Override
        public Split split(int count) {
            List<TraceReader> split = parts.isEmpty() ? List.of(this) : parts;
            return new Split() {
                @Override
                public List<TraceReader> parts() {
                    return split;
                }

                @Override
                public boolean seamless() {
                    return seamless;
                }
            };
        }

        @Override
        public boolean next() {
            if (failure != null) {
                throw failure;
            }
            return ++next < hashes.length;
        }

        @Override
        public Event event() {
            long hash = hashes[next];
            return new Event() {
                @Override
                public long decodeAll() {
                    return hash;
                }

                @Override
                public EventClass eventClass() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int classIndex() {
                    return 0;
                }

                @Override
                public long timestampNs() {
                    return next;
                }

                @Override
                public long cycles() {
                    return next;
                }

                @Override
                public StreamFile stream() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public boolean has(FieldKey key) {
                    return false;
                }

                @Override
                public long getLong(FieldKey key) {
                    throw new IllegalArgumentException();
                }

                @Override
                public String getString(FieldKey key) {
                    throw new IllegalArgumentException();
                }

                @Override
                public byte[] getBytes(FieldKey key) {
                    throw new IllegalArgumentException();
                }

                @Override
                public int copyBytes(FieldKey key, byte[] into) {
                    throw new IllegalArgumentException();
                }

                @Override
                public double getDouble(FieldKey key) {
                    throw new IllegalArgumentException();
                }

                @Override
                public String[] getEnumLabels(FieldKey key) {
                    throw new IllegalArgumentException();
                }

                @Override
                public Object[] scope(Scope scope) {
                    return new Object[0];
                }
            };
        }

        @Override
        public Discard discard() {
            return null;
        }

        @Override
        public List<Trace> traces() {
            return List.of();
        }

        @Override
        public List<StreamFile> streams() {
            return List.of();
        }

        @Override
        public void limitTo(long beginNs, long endNs) {
        }

        @Override
        public long startNs() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void partsThatMetExactlyAddUp() {
        Stub first = Stub.of(1, 2, 3);
        Stub second = Stub.of(10, 20);
        Stub reader = new Stub(new long[0], List.of(first, second), true, null);
        List<String> warnings = new ArrayList<>();
        DecodeCount.Result result = DecodeCount.count(reader, 2, () -> {
            throw new AssertionError("the whole is not read again");
        }, warnings::add);
        assertThat(result).isEqualTo(new DecodeCount.Result(5, 36, 2));
        assertThat(warnings).isEmpty();
        assertThat(second.closed).isTrue();
    }

    @Test
    void partsThatDidNotMeetAreNotAddedUpButTheWholeIsReadAgain() {
        Stub reader = new Stub(new long[0], List.of(Stub.of(1, 2), Stub.of(3)), false, null);
        AtomicInteger reopened = new AtomicInteger();
        List<String> warnings = new ArrayList<>();
        DecodeCount.Result result = DecodeCount.count(reader, 2, () -> {
            reopened.incrementAndGet();
            return Stub.of(1, 2, 40, 3);
        }, warnings::add);
        assertThat(result).isEqualTo(new DecodeCount.Result(4, 46, 1));
        assertThat(reopened).hasValue(1);
        assertThat(warnings).singleElement().asString().contains("timestamps go back across a cut");
    }

    @Test
    void theEarliestPartsErrorIsTheOneReported() {
        CtfException early = new CtfException(Path.of("a"), 10, "early");
        CtfException late = new CtfException(Path.of("b"), 20, "late");
        Stub bothFail = new Stub(new long[0], List.of(Stub.failing(early), Stub.failing(late)), true, null);
        assertThatThrownBy(() -> DecodeCount.count(bothFail, 2, () -> null, message -> { })).isSameAs(early);
        Stub secondFails = new Stub(new long[0], List.of(Stub.of(1), Stub.failing(late)), true, null);
        assertThatThrownBy(() -> DecodeCount.count(secondFails, 2, () -> null, message -> { })).isSameAs(late);
    }
}
