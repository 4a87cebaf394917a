package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Several hosts tied together: the most accurate pairs chosen, transforms composed along them, and what happens
 * to a host no packet ties, one that only received, and two traces of one clock.
 */
class ClockSyncTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = 1_750_000_000L * SECOND;

    /** A host's clock: {@code aheadNs} ahead of true time at START and {@code ppm} fast. */
    private record Clock(long aheadNs, double ppm) {
        long read(long trueNs) {
            return trueNs + aheadNs + Math.round((trueNs - START) * ppm * 1e-6);
        }

        double trueTime(long readNs) {
            return START + (readNs - aheadNs - START) / (1 + ppm * 1e-6);
        }
    }

    private final Map<String, SyntheticPackets> packets = new HashMap<>();
    private final Random random = new Random(9);
    private int nextId;

    private SyntheticPackets of(String host) {
        return packets.computeIfAbsent(host, h -> new SyntheticPackets(UUID.nameUUIDFromBytes(h.getBytes())));
    }

    /** {@code count} packets from one host to another, delays of {@code baseNs} plus jitter. */
    private void send(String from, Clock fromClock, String to, Clock toClock, int count, long baseNs) {
        for (int i = 0; i < count; i++) {
            long sent = START + SECOND + i * (20 * SECOND / count) + random.nextInt(100_000);
            long arrives = sent + baseNs + (long) (-Math.log(1 - random.nextDouble()) * 50_000);
            int id = nextId++ & 0xFFFF;
            long flow = from.hashCode() * 31L + to.hashCode();
            of(from).ip(true, fromClock.read(sent), flow, id, 84 + nextId / 65_536);
            of(to).ip(false, toClock.read(arrives), flow, id, 84 + nextId / 65_536);
        }
    }

    private ClockSync.Host host(String name) {
        return new ClockSync.Host(name, name + "/kernel", of(name).build().clockUuid(), START, START + 30 * SECOND,
                of(name).build());
    }

    @Test
    void theMostAccuratePairsTieTheHostsThroughTheCentre() {
        Clock a = new Clock(0, 0);
        Clock b = new Clock(2 * SECOND, 15);
        Clock c = new Clock(-SECOND, -40);
        // a-b and b-c close (20 us), a-c far (2 ms): c is tied through b, which sits in the middle
        send("a", a, "b", b, 500, 20_000);
        send("b", b, "a", a, 500, 20_000);
        send("b", b, "c", c, 500, 20_000);
        send("c", c, "b", b, 500, 20_000);
        send("a", a, "c", c, 500, 2_000_000);
        send("c", c, "a", a, 500, 2_000_000);
        ClockSync.Result result = ClockSync.synchronize(List.of(host("a"), host("b"), host("c")), null);
        assertThat(result.reference()).isEqualTo("b");
        Map<String, ClockSync.Transform> transforms = new HashMap<>();
        result.transforms().forEach(t -> transforms.put(t.host(), t));
        assertThat(transforms.get("b").quality()).isEqualTo(SyncQuality.EXACT);
        assertThat(transforms.get("a").via()).isEqualTo("b");
        assertThat(transforms.get("c").via()).isEqualTo("b");
        assertThat(result.pairs().stream().filter(p -> p.a().equals("a") && p.b().equals("c")).findFirst()
                .orElseThrow().inTree()).isFalse();
        Map<String, Clock> clocks = Map.of("a", a, "b", b, "c", c);
        for (String name : List.of("a", "c")) {
            ClockSync.Transform transform = transforms.get(name);
            assertThat(transform.quality()).isEqualTo(SyncQuality.ACCURATE);
            long middle = transform.middleNs();
            // on b's clock, the true time of that instant
            long expected = b.read(Math.round(clocks.get(name).trueTime(middle)));
            assertThat(Math.abs(transform.toReference(middle) - expected)).isLessThanOrEqualTo(
                    transform.accuracyNs() + 1);
        }
        // every pair, used or not, is consistent once synchronized: no packet arrives before it left
        result.pairs().forEach(pair -> assertThat(pair.violations()).as(pair.toString()).isZero());
    }

    @Test
    void aHostNoPacketTiesKeepsItsOwnClockAndTheUserIsTold() {
        Clock a = new Clock(0, 0);
        Clock b = new Clock(SECOND, 3);
        send("a", a, "b", b, 200, 30_000);
        send("b", b, "a", a, 200, 30_000);
        of("lonely").ip(true, START + 5 * SECOND, 42, 1, 84);
        ClockSync.Result result = ClockSync.synchronize(List.of(host("a"), host("b"), host("lonely")), "a");
        ClockSync.Transform lonely = result.transforms().get(2);
        assertThat(lonely.quality()).isEqualTo(SyncQuality.FAILED);
        assertThat(lonely.slope()).isEqualTo(1.0);
        assertThat(lonely.offsetNs()).isZero();
        assertThat(lonely.accuracyNs()).isEqualTo(-1);
        assertThat(lonely.via()).isNull();
        assertThat(result.notes()).anyMatch(note -> note.startsWith("lonely: no packet ties it"));
        assertThat(result.transforms().get(1).quality()).isEqualTo(SyncQuality.ACCURATE);
    }

    @Test
    void packetsOneWayOnlyAreIncomplete() {
        Clock a = new Clock(0, 0);
        Clock b = new Clock(-SECOND / 2, 0);
        send("a", a, "b", b, 100, 30_000);
        ClockSync.Result result = ClockSync.synchronize(List.of(host("a"), host("b")), "a");
        ClockSync.Transform transform = result.transforms().get(1);
        assertThat(transform.quality()).isEqualTo(SyncQuality.INCOMPLETE);
        assertThat(transform.accuracyNs()).isEqualTo(-1);
        assertThat(transform.matchesReceived()).isEqualTo(100);
        // b's own clock (half a second behind) would have packets arrive before they left: moved just enough
        assertThat(result.pairs().get(0).violations()).isZero();
        assertThat(result.notes()).anyMatch(note -> note.contains("one way only"));
    }

    @Test
    void tracesOfOneClockAreTiedExactlyByTheirOffsets() {
        // one boot's clock, two sessions: each took the realtime clock's offset when it started, 4.5 us apart
        UUID boot = UUID.randomUUID();
        BoundaryPackets kernel = new SyntheticPackets(boot, START - 1_000 * SECOND).build();
        BoundaryPackets user = new SyntheticPackets(boot, START - 1_000 * SECOND + 4_500).build();
        ClockSync.Result result = ClockSync.synchronize(List.of(
                new ClockSync.Host("host", "host/kernel", boot, START, START + SECOND, kernel),
                new ClockSync.Host("host", "host/ust", boot, START, START + SECOND, user)), null);
        assertThat(result.transforms()).extracting(ClockSync.Transform::quality)
                .containsExactly(SyncQuality.EXACT, SyncQuality.EXACT);
        ClockSync.Transform second = result.transforms().get(1);
        assertThat(second.host()).isEqualTo("host#2");
        assertThat(second.accuracyNs()).isZero();
        // the same clock value reads 4.5 us later in the second trace: back by as much on the first's
        assertThat(second.toReference(START + 4_500)).isEqualTo(START);
        assertThat(second.slope()).isEqualTo(1.0);
    }
}
