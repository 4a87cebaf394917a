package org.vnetscope.analysis;

import java.nio.file.Path;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;

/**
 * The reader's decode-only loop as a process of its own, the yardstick the analysis is timed against: every scope
 * of every event materialized (the printer's {@code --decode-only}), or with {@code --hash} every field decoded
 * through {@link Event#decodeAll()} without materializing.
 */
public final class DecodeOnlyMain {

    private DecodeOnlyMain() {
    }

    public static void main(String[] args) {
        boolean hashOnly = args.length > 1 && args[0].equals("--hash");
        Path trace = Path.of(args[args.length - 1]);
        long start = System.nanoTime();
        long events = 0;
        long hash = 0;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null) {
                    continue;
                }
                if (hashOnly) {
                    hash += event.decodeAll();
                } else {
                    event.scope(Scope.PACKET_CONTEXT);
                    event.scope(Scope.STREAM_EVENT_CONTEXT);
                    event.scope(Scope.EVENT_CONTEXT);
                    event.scope(Scope.EVENT_PAYLOAD);
                }
                events++;
            }
        }
        System.out.printf("%d events in %.2f s (hash %x)%n", events, (System.nanoTime() - start) / 1e9, hash);
    }
}
