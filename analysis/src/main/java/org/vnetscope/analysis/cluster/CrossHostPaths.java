package org.vnetscope.analysis.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.vnetscope.analysis.paths.Outcome;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.sync.BoundaryJourneys;
import org.vnetscope.analysis.sync.BoundaryPackets;
import org.vnetscope.analysis.sync.ClockSync;

/**
 * Packets followed from one host to another: each packet a host received that clock synchronization matched to a
 * packet another host sent ({@link ClockSync.Result#matches()}) joins the sender's journey to the receiver's, and
 * the joined journeys are aggregated by (sending host's path, receiving host's path), as
 * {@link org.vnetscope.analysis.paths.PathGraph} aggregates one host's: packets, bytes, the latency of every hop
 * including the wire between the hosts (from the packet's last queue on the sender to its first receive on the
 * receiver, both on the reference clock), end to end, and how the packets ended on the receiving host.
 *
 * <p>A packet a tunnel carried (VXLAN, Geneve: the tracker follows its inner and its outer header as two journeys
 * of one skb) reads as one path on each host, through the tunnel device and the NIC under it; synchronization may
 * have matched it by either header, and it is joined once. One GSO send matches each segment GRO received from it:
 * each received packet is joined to that send, so a path counts what arrived.
 */
public final class CrossHostPaths {

    private static final int SIGNIFICANT_DIGITS = 3;
    /** More journeys of one packet than a tunnel in a tunnel makes: a longer chain of header changes is cut. */
    private static final int MAX_HEADER_CHANGES = 4;

    /** A device of a cross-host path, on its host. */
    public record Hop(String device, String host) {
    }

    /**
     * The latency from one device to the next; {@code wire} marks the hop between the hosts.
     *
     * @param to the next device, or "end" for the free on the receiving host
     */
    public record HopLatency(String from, String fromHost, String to, String toHost, boolean wire,
                             PacketPath.Latency latencyNs) {
    }

    /** Packets of the path dropped on the receiving host: where (its last device there) and why. */
    public record Drop(String at, String host, String reason, long packets) {
    }

    /**
     * Packets that left {@code fromHost} along one of its paths and entered {@code toHost} along one of its own.
     *
     * @param fromHops          the sending host's devices (its paths[] labels; a tunnel's two journeys joined)
     * @param toHops            the receiving host's
     * @param packets           packets received (each GRO-merged receive once)
     * @param bytes             their bytes as they arrived on the receiving host (a tunnel's outer headers included)
     * @param payloadBytes      their transport payload (TCP, UDP, ICMP; a tunnel's inner packet's): what the
     *                          applications exchanged
     * @param delivered         of those, freed normally on the receiving host
     * @param dropped           freed as drops there
     * @param unterminated      no free seen there
     * @param segmented         cut into GSO segments at the last device there
     * @param latencyNs         from the first event on the sending host to the free on the receiving one
     * @param wireLatencyNs     from the last queue on the sender to the first receive, on the reference clock
     * @param hopLatencyNs      every hop, the wire's included
     * @param drops             where and why packets were dropped on the receiving host
     * @param protocols         packets by IP protocol (of the innermost header: what a tunnel carried)
     * @param arrivedBeforeSent packets that, with the clock transforms, were received before they were sent (the
     *                          synchronization's error): counted as 0 ns on the wire
     */
    public record Path(String fromHost, String toHost, List<String> fromHops, List<String> toHops, long packets,
                       long bytes, long payloadBytes, long delivered, long dropped, long unterminated, long segmented,
                       PacketPath.Latency latencyNs, PacketPath.Latency wireLatencyNs, List<HopLatency> hopLatencyNs,
                       List<Drop> drops, Map<String, Long> protocols, long arrivedBeforeSent) {

        /** The hosts in the order the packets crossed them. */
        public List<String> hosts() {
            return List.of(fromHost, toHost);
        }

        /** Every device, on its host, in order. */
        public List<Hop> hops() {
            List<Hop> hops = new ArrayList<>();
            fromHops.forEach(device -> hops.add(new Hop(device, fromHost)));
            toHops.forEach(device -> hops.add(new Hop(device, toHost)));
            return hops;
        }
    }

    private CrossHostPaths() {
    }

    /** The cross-host paths of the packets synchronization matched, most packets first. */
    public static List<Path> of(ClockSync.Result sync) {
        List<ClockSync.Host> hosts = sync.hosts();
        Map<String, Integer> hostIndexes = new HashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            hostIndexes.put(hosts.get(i).name(), i);
        }
        ClockSync.Transform[] transforms = new ClockSync.Transform[hosts.size()];
        for (ClockSync.Transform transform : sync.transforms()) {
            transforms[hostIndexes.get(transform.host())] = transform;
        }
        boolean[][] joined = new boolean[hosts.size()][];
        for (int i = 0; i < hosts.size(); i++) {
            joined[i] = new boolean[hosts.get(i).packets().journeys().size()];
        }
        Map<Key, Accumulator> paths = new HashMap<>();
        // the labels of each host's joined journeys, by their paths: journeys split differently (a tunnel's packet
        // whose inner and outer header one journey showed, or two) read the same, and count as one path
        List<Map<List<Integer>, List<String>>> labels = new ArrayList<>();
        hosts.forEach(host -> labels.add(new HashMap<>()));
        for (ClockSync.PairMatches pair : sync.matches()) {
            int from = hostIndexes.get(pair.sender());
            int to = hostIndexes.get(pair.receiver());
            BoundaryPackets sent = hosts.get(from).packets();
            BoundaryPackets received = hosts.get(to).packets();
            BoundaryJourneys senderJourneys = sent.journeys();
            BoundaryJourneys receiverJourneys = received.journeys();
            for (int k = 0; k < pair.size(); k++) {
                int sender = sent.journeyOf(pair.sentIndexes()[k]);
                int receiver = received.journeyOf(pair.receivedIndexes()[k]);
                if (sender < 0 || receiver < 0) {
                    continue;
                }
                int[] senderParts = parts(senderJourneys, sender);
                int[] receiverParts = parts(receiverJourneys, receiver);
                if (joined[to][receiverParts[0]]) {
                    continue; // matched by its other header too
                }
                joined[to][receiverParts[0]] = true;
                int senderSteps = sentSteps(senderJourneys, senderParts);
                Key key = new Key(from, labels(labels.get(from), senderJourneys, senderParts, senderSteps), to,
                        labels(labels.get(to), receiverJourneys, receiverParts, -1));
                paths.computeIfAbsent(key, absent -> new Accumulator(senderSteps,
                                stepCount(receiverJourneys, receiverParts)))
                        .add(senderJourneys, senderParts, transforms[from], receiverJourneys, receiverParts,
                                transforms[to]);
            }
        }
        // each path's latency percentiles (most of this step on hundreds of hosts) worked out several at once, the
        // paths kept in the map's order, as one thread would have listed them before sorting
        List<Path> result = new ArrayList<>(paths.entrySet().parallelStream()
                .map(entry -> entry.getValue().toPath(entry.getKey(), hosts)).toList());
        result.sort(Comparator.comparingLong(Path::packets).reversed()
                .thenComparing(path -> path.fromHost() + " " + String.join(" ", path.fromHops()) + " "
                        + path.toHost() + " " + String.join(" ", path.toHops())));
        return List.copyOf(result);
    }

    /** A sending host and the devices a packet crossed there, a receiving host and those it crossed there. */
    private record Key(int from, List<String> fromHops, int to, List<String> toHops) {
    }

    /** The journeys of one packet, in order: the one given and those before and after its header changes. */
    private static int[] parts(BoundaryJourneys journeys, int journey) {
        int first = journey;
        for (int i = 0; i < MAX_HEADER_CHANGES && journeys.before(first) >= 0; i++) {
            first = journeys.before(first);
        }
        int count = 1;
        for (int at = first; count < MAX_HEADER_CHANGES && journeys.after(at) >= 0; at = journeys.after(at)) {
            count++;
        }
        int[] parts = new int[count];
        parts[0] = first;
        for (int i = 1; i < count; i++) {
            parts[i] = journeys.after(parts[i - 1]);
        }
        return parts;
    }

    /** The labels of the devices a packet's journeys crossed, the first {@code steps} of them (-1: all). */
    private static List<String> labels(Map<List<Integer>, List<String>> cache, BoundaryJourneys journeys, int[] parts,
                                       int steps) {
        List<Integer> key = new ArrayList<>(parts.length + 1);
        for (int part : parts) {
            key.add(journeys.path(part));
        }
        key.add(steps);
        return cache.computeIfAbsent(key, k -> {
            List<String> labels = new ArrayList<>();
            for (int part : parts) {
                labels.addAll(journeys.pathHops(journeys.path(part)));
            }
            return List.copyOf(steps < 0 ? labels : labels.subList(0, steps));
        });
    }

    /** The sender's steps up to the one it left the host through. */
    private static int sentSteps(BoundaryJourneys journeys, int[] parts) {
        int last = parts[parts.length - 1];
        int exit = journeys.exitStep(last);
        return stepCount(journeys, parts) - journeys.steps(last) + (exit < 0 ? journeys.steps(last) : exit + 1);
    }

    private static int stepCount(BoundaryJourneys journeys, int[] parts) {
        int steps = 0;
        for (int part : parts) {
            steps += journeys.steps(part);
        }
        return steps;
    }

    private static final class Accumulator {
        final int senderSteps;
        final int receiverSteps;
        long packets;
        long bytes;
        long payloadBytes;
        long delivered;
        long dropped;
        long unterminated;
        long segmented;
        long arrivedBeforeSent;
        /** One per hop: between the sender's devices, the wire, between the receiver's, the last to the free. */
        final Histogram[] hops;
        final Histogram endToEnd = new Histogram(SIGNIFICANT_DIGITS);
        final Map<String, Long> drops = new TreeMap<>();
        final Map<String, Long> protocols = new TreeMap<>();
        /** The times of one packet's steps, sender's then receiver's; reused. */
        final long[] stepNs;

        Accumulator(int senderSteps, int receiverSteps) {
            this.senderSteps = senderSteps;
            this.receiverSteps = receiverSteps;
            hops = new Histogram[senderSteps + receiverSteps];
            for (int i = 0; i < hops.length; i++) {
                hops[i] = new Histogram(SIGNIFICANT_DIGITS);
            }
            stepNs = new long[senderSteps + receiverSteps];
        }

        void add(BoundaryJourneys sender, int[] senderParts, ClockSync.Transform senderClock,
                 BoundaryJourneys receiver, int[] receiverParts, ClockSync.Transform receiverClock) {
            int at = 0;
            for (int part : senderParts) {
                for (int step = 0; step < sender.steps(part) && at < senderSteps; step++) {
                    stepNs[at++] = sender.stepNs(part, step);
                }
            }
            for (int part : receiverParts) {
                for (int step = 0; step < receiver.steps(part); step++) {
                    stepNs[at++] = receiver.stepNs(part, step);
                }
            }
            int last = receiverParts[receiverParts.length - 1];
            long endNs = receiver.endNs(last);
            // the hops within a host on its own clock (its drift over a hop is far below a ns); the wire and the
            // whole way from one clock to the other
            for (int i = 0; i + 1 < senderSteps; i++) {
                hops[i].recordValue(Math.max(0, stepNs[i + 1] - stepNs[i]));
            }
            int lastSent = senderParts[senderParts.length - 1];
            long leftNs = sender.leftNs(lastSent) != 0 ? sender.leftNs(lastSent) : stepNs[senderSteps - 1];
            long wire = receiverClock.toReference(stepNs[senderSteps]) - senderClock.toReference(leftNs);
            if (wire < 0) {
                arrivedBeforeSent++;
            }
            hops[senderSteps - 1].recordValue(Math.max(0, wire));
            for (int i = senderSteps; i + 1 < stepNs.length; i++) {
                hops[i].recordValue(Math.max(0, stepNs[i + 1] - stepNs[i]));
            }
            hops[stepNs.length - 1].recordValue(Math.max(0, endNs - stepNs[stepNs.length - 1]));
            endToEnd.recordValue(Math.max(0, receiverClock.toReference(endNs) - senderClock.toReference(stepNs[0])));
            packets++;
            bytes += receiver.bytes(receiverParts[0]);
            payloadBytes += receiver.payload(last);
            Outcome outcome = receiver.outcome(last);
            switch (outcome) {
                case DELIVERED -> delivered++;
                case DROPPED -> {
                    dropped++;
                    drops.merge(receiver.dropReason(last), 1L, Long::sum);
                }
                case UNTERMINATED -> unterminated++;
                case SEGMENTED -> segmented++;
            }
            protocols.merge(protocolName(receiver.protocol(last)), 1L, Long::sum);
        }

        Path toPath(Key key, List<ClockSync.Host> hosts) {
            String from = hosts.get(key.from()).name();
            String to = hosts.get(key.to()).name();
            List<String> fromHops = key.fromHops();
            List<String> toHops = key.toHops();
            List<HopLatency> hopLatency = new ArrayList<>();
            for (int i = 0; i < hops.length; i++) {
                boolean sending = i < senderSteps;
                String device = sending ? fromHops.get(i) : toHops.get(i - senderSteps);
                String next;
                String nextHost;
                if (i + 1 == hops.length) {
                    next = "end";
                    nextHost = to;
                } else if (i + 1 < senderSteps) {
                    next = fromHops.get(i + 1);
                    nextHost = from;
                } else {
                    next = toHops.get(i + 1 - senderSteps);
                    nextHost = to;
                }
                hopLatency.add(new HopLatency(device, sending ? from : to, next, nextHost, i == senderSteps - 1,
                        PacketPath.Latency.of(hops[i])));
            }
            List<Drop> dropList = new ArrayList<>();
            String lastDevice = toHops.get(toHops.size() - 1);
            drops.forEach((reason, count) -> dropList.add(new Drop(lastDevice, to, reason, count)));
            return new Path(from, to, fromHops, toHops, packets, bytes, payloadBytes, delivered, dropped, unterminated, segmented,
                    PacketPath.Latency.of(endToEnd), PacketPath.Latency.of(hops[senderSteps - 1]),
                    List.copyOf(hopLatency), List.copyOf(dropList), Collections.unmodifiableMap(new TreeMap<>(protocols)),
                    arrivedBeforeSent);
        }
    }

    static String protocolName(int protocol) {
        return switch (protocol) {
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            default -> Integer.toString(protocol);
        };
    }
}
