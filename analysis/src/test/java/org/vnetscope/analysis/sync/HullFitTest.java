package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The convex-hull fit on packets whose true clock relation is known: the delays are a minimum plus random
 * jitter, always positive (noise on one side only, as real one-way delays are).
 */
class HullFitTest {

    private static final long EPOCH = 1_700_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    /** Packets exchanged between a reference and a host, generated on the reference's clock. */
    private static final class Exchange {
        final List<Long> hostSent = new ArrayList<>();
        final List<Long> referenceReceived = new ArrayList<>();
        final List<Long> referenceSent = new ArrayList<>();
        final List<Long> hostReceived = new ArrayList<>();

        /** The least one-way delay, before jitter. */
        long baseDelayNs = 40_000;

        /**
         * {@code count} packets each way between reference times {@code fromNs} and {@code toNs}; {@code hostClock}
         * gives the host's reading of a reference time. Delays: {@link #baseDelayNs} plus exponential jitter.
         */
        Exchange add(long fromNs, long toNs, int count, LongUnaryOperator hostClock, Random random, boolean bothWays) {
            for (int i = 0; i < count; i++) {
                long sent = fromNs + (toNs - fromNs) * i / count + random.nextInt(1000);
                long delay = baseDelayNs + (long) (-Math.log(1 - random.nextDouble()) * 30_000);
                hostSent.add(hostClock.applyAsLong(sent));
                referenceReceived.add(sent + delay);
                if (bothWays) {
                    long back = sent + 500_000;
                    long backDelay = baseDelayNs + (long) (-Math.log(1 - random.nextDouble()) * 30_000);
                    referenceSent.add(back);
                    hostReceived.add(hostClock.applyAsLong(back + backDelay));
                }
            }
            return this;
        }

        HullFit.Result fit() {
            return HullFit.fit(longs(hostSent), longs(referenceReceived), longs(referenceSent), longs(hostReceived));
        }

        static long[] longs(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** A host clock {@code offset} ahead and running {@code ppm} fast, as a function of reference time. */
    private static LongUnaryOperator clock(long offsetNs, double ppm, long sinceNs) {
        return reference -> reference + offsetNs + Math.round((reference - sinceNs) * ppm * 1e-6);
    }

    /** The reference time of a host time under that clock. */
    private static double referenceOf(long hostNs, long offsetNs, double ppm, long sinceNs) {
        return sinceNs + (hostNs - offsetNs - sinceNs) / (1 + ppm * 1e-6);
    }

    @Test
    void theTrueLineLiesWithinTheBoundsAndTheEstimateWithinTheAccuracy() {
        long offset = 2_500_000_000L;
        double ppm = 35;
        for (int seed = 1; seed <= 5; seed++) {
            HullFit.Result result = new Exchange()
                    .add(EPOCH, EPOCH + 60 * SECOND, 2_000, clock(offset, ppm, EPOCH), new Random(seed), true).fit();
            assertThat(result.segments()).hasSize(1);
            assertThat(result.rejected()).isZero();
            HullFit.Segment segment = result.segments().get(0);
            assertThat(segment.quality()).isEqualTo(SyncQuality.ACCURATE);
            long anchor = segment.map().anchorNs();
            double trueShift = referenceOf(anchor, offset, ppm, EPOCH) - anchor;
            assertThat(trueShift).isBetween(segment.offsetLowNs() - 1, segment.offsetHighNs() + 1);
            assertThat(Math.abs(segment.map().shiftAtAnchor() - trueShift)).isLessThanOrEqualTo(segment.accuracyNs());
            double trueDrift = 1 / (1 + ppm * 1e-6) - 1;
            assertThat(trueDrift).isBetween(segment.driftLow(), segment.driftHigh());
            assertThat(segment.map().drift()).isCloseTo(trueDrift, org.assertj.core.data.Offset.offset(1e-7));
            // no bound can be tighter than the delays allow (the true line moved by up to 40 us either way still
            // fits every packet), and with 2,000 packets each way this one comes within a few us of that
            assertThat(segment.accuracyNs()).isBetween(40_000L, 45_000L);
        }
    }

    @Test
    void morePacketsGiveATighterBound() {
        LongUnaryOperator host = clock(-7 * SECOND, -12, EPOCH);
        Exchange fewPackets = new Exchange();
        fewPackets.baseDelayNs = 1_000;
        Exchange manyPackets = new Exchange();
        manyPackets.baseDelayNs = 1_000;
        long few = fewPackets.add(EPOCH, EPOCH + 60 * SECOND, 5, host, new Random(7), true).fit()
                .segments().get(0).accuracyNs();
        long many = manyPackets.add(EPOCH, EPOCH + 60 * SECOND, 5_000, host, new Random(7), true).fit()
                .segments().get(0).accuracyNs();
        // what the bound adds to the least delay shrinks as packets come close to it
        assertThat(many).isGreaterThanOrEqualTo(1_000);
        assertThat((many - 1_000) * 4).isLessThan(few - 1_000);
    }

    @Test
    void aDriftThatChangesGivesTwoSegmentsEachHoldingItsTrueLine() {
        long change = EPOCH + 30 * SECOND;
        LongUnaryOperator before = clock(SECOND, 20, EPOCH);
        long atChange = before.applyAsLong(change);
        // from the change on, the host clock runs 80 ppm slow, continuing from where it was
        LongUnaryOperator after = reference -> atChange + (reference - change)
                - Math.round((reference - change) * 80e-6);
        Random random = new Random(3);
        HullFit.Result result = new Exchange()
                .add(EPOCH, change, 1_000, before, random, true)
                .add(change, change + 30 * SECOND, 1_000, after, random, true).fit();
        assertThat(result.segments()).hasSize(2);
        HullFit.Segment first = result.segments().get(0);
        HullFit.Segment second = result.segments().get(1);
        assertThat(first.quality()).isEqualTo(SyncQuality.ACCURATE);
        assertThat(second.quality()).isEqualTo(SyncQuality.ACCURATE);
        assertThat(1 / (1 + 20e-6) - 1).isBetween(first.driftLow(), first.driftHigh());
        assertThat(1 / (1 - 80e-6) - 1).isBetween(second.driftLow(), second.driftHigh());
        // the break lies near the change, on the host's clock
        assertThat(Math.abs(second.firstNs() - atChange)).isLessThan(SECOND);
        // a few packets around the change may fit neither line, no more
        assertThat(result.rejected()).isLessThan(20);
        assertThat(first.matches() + second.matches() + result.rejected()).isEqualTo(4_000);
    }

    @Test
    void aClockStepGivesTwoSegments() {
        long step = EPOCH + 25 * SECOND;
        LongUnaryOperator before = clock(SECOND, -8, EPOCH);
        // a VM's clock jumps 3 ms ahead (a migration, a host's correction), then runs on as before
        LongUnaryOperator after = reference -> before.applyAsLong(reference) + 3_000_000;
        Random random = new Random(5);
        HullFit.Result result = new Exchange()
                .add(EPOCH, step, 800, before, random, true)
                .add(step, step + 25 * SECOND, 800, after, random, true).fit();
        assertThat(result.segments()).hasSize(2);
        assertThat(result.rejected()).isLessThan(10);
        for (HullFit.Segment segment : result.segments()) {
            LongUnaryOperator clock = segment.firstNs() < before.applyAsLong(step) ? before : after;
            long anchor = segment.map().anchorNs();
            // the reference time whose host reading is the anchor, found by stepping (the clocks are monotonic)
            long low = anchor - 2 * SECOND - 10_000_000;
            long high = anchor;
            while (low < high) {
                long middle = low + (high - low) / 2;
                if (clock.applyAsLong(middle) < anchor) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            assertThat(Math.abs(segment.map().apply(anchor) - low)).isLessThanOrEqualTo(segment.accuracyNs() + 1);
        }
    }

    @Test
    void aWrongMatchIsRejectedNotMadeASegment() {
        Exchange exchange = new Exchange().add(EPOCH, EPOCH + 60 * SECOND, 500, clock(SECOND, 5, EPOCH),
                new Random(11), true);
        // a "match" of two different packets: received 0.3 s before the true line allows
        exchange.hostSent.add(EPOCH + SECOND + 20 * SECOND);
        exchange.referenceReceived.add(EPOCH + 20 * SECOND - 300_000_000L);
        HullFit.Result result = exchange.fit();
        assertThat(result.segments()).hasSize(1);
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(result.segments().get(0).matches()).isEqualTo(1_000);
    }

    @Test
    void packetsOneWayOnlyAreIncompleteAndKeepTheOwnClocksWhereTheyCan() {
        // the host's own clock reads 1 ms behind the reference, so nothing contradicts it: it is kept
        HullFit.Result result = new Exchange().add(EPOCH, EPOCH + 10 * SECOND, 100, clock(-1_000_000, 0, EPOCH),
                new Random(5), false).fit();
        assertThat(result.segments()).hasSize(1);
        HullFit.Segment segment = result.segments().get(0);
        assertThat(segment.quality()).isEqualTo(SyncQuality.INCOMPLETE);
        assertThat(segment.accuracyNs()).isEqualTo(-1);
        assertThat(segment.hostToReference()).isEqualTo(100);
        assertThat(segment.referenceToHost()).isZero();
        assertThat(segment.map().apply(EPOCH + 5 * SECOND)).isEqualTo(EPOCH + 5 * SECOND);

        // 2 s ahead: its own clock would have packets arrive before they left, so the bound is taken instead:
        // the packet with the least delay arrives the moment it left
        Exchange aheadExchange = new Exchange().add(EPOCH, EPOCH + 10 * SECOND, 100, clock(2 * SECOND, 0, EPOCH),
                new Random(5), false);
        long bound = Long.MAX_VALUE;
        for (int i = 0; i < aheadExchange.hostSent.size(); i++) {
            bound = Math.min(bound, aheadExchange.referenceReceived.get(i) - aheadExchange.hostSent.get(i));
        }
        HullFit.Segment ahead = aheadExchange.fit().segments().get(0);
        assertThat(ahead.quality()).isEqualTo(SyncQuality.INCOMPLETE);
        assertThat(Math.round(ahead.map().shiftAtAnchor())).isEqualTo(bound);
        assertThat(bound).isBetween(-2 * SECOND + 40_000, -2 * SECOND + 50_000);
    }

    @Test
    void fewPacketsBothWaysAtOneMomentAreApproximate() {
        HullFit.Result result = HullFit.fit(new long[] {EPOCH + SECOND + 100}, new long[] {EPOCH + 150},
                new long[] {EPOCH + 200}, new long[] {EPOCH + SECOND + 260});
        HullFit.Segment segment = result.segments().get(0);
        assertThat(segment.quality()).isEqualTo(SyncQuality.APPROXIMATE);
        // reference - host is within [-1 s - 60, -1 s + 50]: the middle is -1 s - 5
        assertThat(segment.map().shiftAtAnchor()).isCloseTo(-SECOND - 5, org.assertj.core.data.Offset.offset(1.0));
        assertThat(segment.accuracyNs()).isBetween(55L, 56L);
    }

    @Test
    void noPacketsNoSegment() {
        assertThat(HullFit.fit(new long[0], new long[0], new long[0], new long[0]).segments()).isEmpty();
    }
}
