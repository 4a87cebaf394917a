package org.vnetscope.analysis.paths;

import java.io.Serializable;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Packets that crossed the same devices in the same order.
 *
 * @param hops         device labels in order
 * @param packets      how many packets took this path
 * @param bytes        their frame bytes
 * @param delivered    packets freed normally at the end
 * @param dropped      packets freed as drops (at the last device of the path)
 * @param unterminated packets whose free was not seen
 * @param segmented    packets cut into GSO segments at the last device of the path, before it sent them: the
 *                     segments, not these, left that device (their own paths start at its transmit)
 * @param latencyNs    first event to free, per packet
 * @param hopLatencyNs from each device to the next (the last one: to the free)
 * @param drops        where and why packets of this path were dropped
 * @param devices      the devices behind the labels
 */
public record PacketPath(List<String> hops, long packets, long bytes, long delivered, long dropped, long unterminated,
                         long segmented, Latency latencyNs, List<HopLatency> hopLatencyNs, List<Drop> drops,
                         List<DeviceRef> devices) implements Serializable {

    /** Latency percentiles in ns, with the number of samples behind them. */
    public record Latency(long samples, long p50, long p90, long p99, long max) implements Serializable {
        public static Latency of(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            long[] at = Percentiles.of(histogram, 50, 90, 99);
            return new Latency(histogram.getTotalCount(), at[0], at[1], at[2], histogram.getMaxValue());
        }
    }

    public record HopLatency(String from, String to, Latency latencyNs) implements Serializable {
    }

    public record Drop(String at, String reason, long packets) implements Serializable {
    }
}
