package org.vnetscope.analysis;

import java.io.Serializable;

/**
 * A time range over which the tracer lost data, so every figure covering it may be short.
 *
 * @param kind    {@code events} (a packet's discarded-events counter grew) or {@code packets} (a sequence gap)
 * @param count   how many events or packets were lost
 * @param beginNs start of the range, ns since the epoch
 * @param endNs   end of the range
 * @param stream  the stream file that lost them
 */
public record LostRange(String kind, long count, long beginNs, long endNs, String stream) implements Serializable {
}
