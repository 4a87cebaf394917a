package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.NetworkAnalysis;

/**
 * The pairs {@link MatchCandidates} rules out are exactly pairs whose full match finds nothing and drops only the
 * sender's repeated sends: on the two-host lab recordings beside a host that talked to neither, and on random hosts
 * drawing their packets from a few shared flows, acknowledgments and IP ids, every ordered pair's full match is
 * compared with what the candidates let the clock synchronization skip.
 */
class MatchCandidatesTest {

    private static final int HOSTS = 14;

    @Test
    void aPairRuledOutMatchesNothingAndDropsOnlyTheSendersRepeatedSends() {
        int ruledOut = 0;
        int ruledOutWithDrops = 0;
        int matched = 0;
        for (long seed = 1; seed <= 20; seed++) {
            List<BoundaryPackets> hosts = randomHosts(new Random(seed));
            MatchCandidates candidates = MatchCandidates.of(hosts);
            for (int s = 0; s < HOSTS; s++) {
                for (int r = 0; r < HOSTS; r++) {
                    if (s == r) {
                        continue;
                    }
                    PacketMatcher.Matches full = PacketMatcher.match(hosts.get(s), hosts.get(r));
                    if (full.size() > 0) {
                        matched++;
                        assertThat(candidates.possible(s, r)).as("seed %d, %d -> %d", seed, s, r).isTrue();
                    }
                    if (!candidates.possible(s, r)) {
                        ruledOut++;
                        PacketMatcher.Matches skipped = PacketMatcher.unmatched(hosts.get(s));
                        assertThat(full.size()).isZero();
                        assertThat(skipped.size()).isZero();
                        assertThat(skipped.droppedKeys()).as("seed %d, %d -> %d", seed, s, r)
                                .isEqualTo(full.droppedKeys());
                        ruledOutWithDrops += full.droppedKeys() > 0 ? 1 : 0;
                    }
                }
            }
        }
        // the draw exercises all three cases, so that the assertions above could fail
        assertThat(matched).isPositive();
        assertThat(ruledOut).isPositive();
        assertThat(ruledOutWithDrops).isPositive();
    }

    @Test
    void hostsThatExchangedNothingAreNoCandidatesAndOneThatSentToAnotherIs() {
        long flow = 0x42;
        BoundaryPackets sender = new SyntheticPackets().tcp(true, 1_000, flow, 5_000, 9, 10, 100)
                .ip(true, 2_000, flow + 1, 11, 60).build();
        BoundaryPackets receiver = new SyntheticPackets().tcp(false, 3_000, flow, 5_000, 9, 10, 100).build();
        BoundaryPackets other = new SyntheticPackets().ip(false, 4_000, flow + 2, 11, 60).build();
        MatchCandidates candidates = MatchCandidates.of(List.of(sender, receiver, other));
        assertThat(candidates.possible(0, 1)).isTrue();
        assertThat(candidates.possible(1, 0)).isFalse();
        assertThat(candidates.possible(0, 2)).isFalse();
        assertThat(candidates.possible(2, 0)).isFalse();
        assertThat(PacketMatcher.match(sender, receiver).size()).isEqualTo(1);
    }

    @Test
    void onRealRecordingsOnlyTheHostsThatTalkedAreCandidatesAndTheRestMatchNothing() {
        // lab5's two hosts of each recording exchanged packets; bridge-basic's host talked to neither
        List<BoundaryPackets> hosts = new ArrayList<>();
        for (String scenario : List.of("mh-uplink", "mh-vxlan")) {
            hosts.add(Lab5SyncTest.report(scenario, "hosta").boundaryPackets());
            hosts.add(Lab5SyncTest.report(scenario, "hostb").boundaryPackets());
        }
        Path elsewhere = Path.of(System.getProperty("vnetscope.repo", "..")).resolve("samples/bridge-basic/trace/kernel");
        hosts.add(NetworkAnalysis.analyze(elsewhere, AnalysisOptions.defaults()).boundaryPackets());
        MatchCandidates candidates = MatchCandidates.of(hosts);
        int matchedPairs = 0;
        for (int s = 0; s < hosts.size(); s++) {
            for (int r = 0; r < hosts.size(); r++) {
                if (s == r) {
                    continue;
                }
                PacketMatcher.Matches full = PacketMatcher.match(hosts.get(s), hosts.get(r));
                if (full.size() > 0) {
                    matchedPairs++;
                    assertThat(candidates.possible(s, r)).as("%d -> %d", s, r).isTrue();
                } else if (!candidates.possible(s, r)) {
                    assertThat(PacketMatcher.unmatched(hosts.get(s)).droppedKeys()).as("%d -> %d", s, r)
                            .isEqualTo(full.droppedKeys());
                }
            }
        }
        // each recording's two hosts, both ways; nothing with bridge-basic's host
        assertThat(matchedPairs).isEqualTo(4);
        for (int other = 0; other < 4; other++) {
            assertThat(candidates.possible(4, other)).isFalse();
            assertThat(candidates.possible(other, 4)).isFalse();
        }
    }

    /** Hosts whose packets share a few flows, acknowledgments and ids, some sends repeated far apart. */
    private static List<BoundaryPackets> randomHosts(Random random) {
        List<BoundaryPackets> hosts = new ArrayList<>();
        for (int h = 0; h < HOSTS; h++) {
            SyntheticPackets packets = new SyntheticPackets();
            int count = random.nextInt(12);
            for (int p = 0; p < count; p++) {
                boolean outgoing = random.nextBoolean();
                long time = random.nextInt(10) * 2_000_000L + random.nextInt(1_000);
                long flow = 0x1000 + random.nextInt(HOSTS * 2);
                int id = random.nextInt(4);
                if (random.nextBoolean()) {
                    long sequence = 10_000 + random.nextInt(3) * 500L;
                    packets.tcp(outgoing, time, flow, sequence, random.nextInt(2), id, 500);
                } else {
                    packets.ip(outgoing, time, flow, id, 60);
                }
            }
            hosts.add(packets.build());
        }
        return hosts;
    }
}
