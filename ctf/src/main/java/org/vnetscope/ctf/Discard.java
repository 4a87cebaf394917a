package org.vnetscope.ctf;

/**
 * Data the tracer reported as lost: events it discarded (the {@code events_discarded} counter of a packet
 * context grew) or whole packets (a gap in {@code packet_seq_num}). Every figure computed over the time range
 * {@code [beginNs, endNs]} of that stream may be short.
 *
 * @param kind    what was lost
 * @param count   how many events, or how many packets; -1 when unknown (events lost before the first packet
 *                of the stream that reports a counter: the range is then that packet's)
 * @param beginNs start of the range that may be incomplete, ns since the Unix epoch: the end of the previous
 *                packet (as babeltrace2 reports it); the record is merged at this time
 * @param endNs   end of that range, ns since the Unix epoch: the end of the packet that reports discarded
 *                events, or the beginning of the packet after lost packets
 * @param beginCycles the same start in clock cycles (for printing like babeltrace2)
 * @param endCycles   the same end in clock cycles
 * @param stream  the stream that lost them
 */
public record Discard(Kind kind, long count, long beginNs, long endNs, long beginCycles, long endCycles,
                      StreamFile stream) {

    public enum Kind { EVENTS, PACKETS }
}
