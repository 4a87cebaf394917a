package org.vnetscope.analysis;

import java.io.Serializable;

/**
 * How packets were followed.
 *
 * @param journeys       journeys reported
 * @param splitOnHeaders chains ended because an event on their address carried another packet's header
 * @param ambiguous      journeys cut without a header to prove it: a device visited twice the same way, or a
 *                       move after a socket took the data
 * @param unterminated   journeys whose free was not seen (split, cut, stale, or the trace ended)
 * @param maxLive        most chains alive at once: what the tracker's memory follows
 * @param overlappingLostEvents journeys the tracer lost events during: left out of the paths and the topology
 */
public record ChainStats(long journeys, long splitOnHeaders, long ambiguous, long unterminated, int maxLive,
                         long overlappingLostEvents) implements Serializable {
}
