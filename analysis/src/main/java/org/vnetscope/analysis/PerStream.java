package org.vnetscope.analysis;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.vnetscope.ctf.StreamFile;

/**
 * One state per stream of a trace (a CPU, for a kernel trace), for what only the order of events on one CPU tells.
 * Streams are found by reference, and the last one is kept at hand, since consecutive events mostly come from one.
 */
final class PerStream<T> {

    private final Map<StreamFile, T> states = new IdentityHashMap<>();
    private final Supplier<T> make;
    private StreamFile lastStream;
    private T last;

    PerStream(Supplier<T> make) {
        this.make = make;
    }

    T of(StreamFile stream) {
        if (last == null || stream != lastStream) {
            // looked up and put apart rather than through computeIfAbsent, whose lambda (capturing this) would be
            // made anew each time the stream changes, which on a host of several CPUs is nearly every event
            T state = states.get(stream);
            if (state == null) {
                state = make.get();
                states.put(stream, state);
            }
            last = state;
            lastStream = stream;
        }
        return last;
    }

    Collection<T> all() {
        return states.values();
    }
}
