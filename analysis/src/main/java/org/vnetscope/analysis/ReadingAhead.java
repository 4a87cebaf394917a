package org.vnetscope.analysis;

import org.vnetscope.ctf.TraceReader;

/**
 * A trace read for the analyses on a thread of its own ({@link TraceReader#readingAhead(TraceReader.Preparation)}):
 * that thread decodes and merges the records and, when it has time to spare, reads packet events' network headers
 * and numbers their device names as {@link NetworkAnalysis} would ({@link PreparedEvents}), while the analyses run on
 * the caller's thread over the same events in the same order. What they compute is what one thread computes, byte
 * for byte: the events and their values are the reader's own, a header is a function of its event alone, taken over
 * field by field as reading it would have left it ({@link PacketHeader#copyRead}), and a numbered name gives the
 * device that reading the name gives ({@link DeviceNames}). Those are the shares of a pass that the reading thread
 * can take on.
 */
public final class ReadingAhead {

    /**
     * Stream bytes from which a second thread pays for itself: below, starting it and handing records between two
     * cores cost about what it saves.
     */
    public static final long WORTH_FROM_BYTES = 16L << 20;

    private ReadingAhead() {
    }

    /** Whether a trace of that many stream bytes is worth reading ahead when a second thread is free. */
    public static boolean worth(long streamBytes) {
        return streamBytes >= WORTH_FROM_BYTES;
    }

    /** The reader, read ahead with the headers (itself when it cannot read ahead). Call before reading it. */
    public static TraceReader of(TraceReader reader) {
        return reader.readingAhead(new PreparedEvents());
    }
}
