package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.LabTraces;
import org.vnetscope.analysis.NetworkAnalysis;

/**
 * The two-host recordings (samples/lab5): hostb's clock was set ahead at boot, and hosta measured by how much
 * with NTP-style probes over the control wire before and after each trace. Synchronization from the traces alone
 * must find that offset within its own accuracy plus the probe's uncertainty, tie hostb to hosta accurately, and
 * leave no matched packet arriving before it left.
 */
class Lab5SyncTest {

    static final Path RECORDINGS = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab5/recordings");
    private static final Map<String, AnalysisReport> REPORTS = new ConcurrentHashMap<>();

    /** A host's report, analysed once for all the tests of this run. */
    static AnalysisReport report(String scenario, String host) {
        return REPORTS.computeIfAbsent(scenario + "/" + host, key -> NetworkAnalysis.analyze(
                RECORDINGS.resolve(scenario).resolve(host).resolve("trace/kernel"), AnalysisOptions.defaults()));
    }

    /**
     * The probe with the smallest round trip in a clockprobe file (lines {@code t1 t2 t3 t4 offset rtt}: hosta
     * sent at t1, hostb received at t2 and answered at t3, hosta received at t4): the offset hostb - hosta it
     * gives, {@code ((t2 - t1) + (t3 - t4)) / 2}, and its uncertainty, half the round trip.
     */
    record Probe(long offsetNs, long uncertaintyNs) {
    }

    static Probe bestProbe(Path file) throws IOException {
        Probe best = null;
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            long t1 = Long.parseLong(f[0]);
            long t2 = Long.parseLong(f[1]);
            long t3 = Long.parseLong(f[2]);
            long t4 = Long.parseLong(f[3]);
            long roundTrip = (t4 - t1) - (t3 - t2);
            Probe probe = new Probe(((t2 - t1) + (t3 - t4)) / 2, (roundTrip + 1) / 2);
            if (best == null || probe.uncertaintyNs() < best.uncertaintyNs()) {
                best = probe;
            }
        }
        assertThat(best).as("probes in " + file).isNotNull();
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mh-uplink", "mh-vxlan"})
    void hostbOffsetIsRecoveredWithinTheAccuracy(String scenario) throws IOException {
        ClockSync.Result result = ClockSync.of(List.of(report(scenario, "hosta"), report(scenario, "hostb")));
        assertThat(result.reference()).isEqualTo("hosta");
        ClockSync.Transform hostb = result.transforms().get(1);
        assertThat(hostb.host()).isEqualTo("hostb");
        assertThat(hostb.quality()).isEqualTo(SyncQuality.ACCURATE);
        assertThat(hostb.segments()).hasSize(1);
        assertThat(hostb.accuracyNs()).isPositive();
        assertThat(hostb.matchesSent()).isPositive();
        assertThat(hostb.matchesReceived()).isPositive();
        // hostb - hosta at the middle of the packets
        long estimate = -hostb.middleOffsetNs();
        Path groundTruth = RECORDINGS.resolve(scenario).resolve("hosta/groundtruth");
        for (String file : List.of("clockprobe-pre.txt", "clockprobe-post.txt")) {
            Probe probe = bestProbe(groundTruth.resolve(file));
            assertThat(Math.abs(estimate - probe.offsetNs()))
                    .as("%s %s: estimate %d, probe %d +- %d, accuracy %d", scenario, file, estimate,
                            probe.offsetNs(), probe.uncertaintyNs(), hostb.accuracyNs())
                    .isLessThanOrEqualTo(hostb.accuracyNs() + probe.uncertaintyNs());
        }
        System.out.printf("%s: hostb - hosta = %d ns +- %d ns (at the packets' ends +- %d), drift %.3f ppm,"
                        + " %d matches hostb->hosta, %d hosta->hostb%n", scenario, estimate, hostb.accuracyNs(),
                hostb.accuracyAtEndsNs(), -hostb.driftPpm(), hostb.matchesSent(), hostb.matchesReceived());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mh-uplink", "mh-vxlan"})
    void noMatchedPacketArrivesBeforeItLeft(String scenario) {
        ClockSync.Result result = ClockSync.of(List.of(report(scenario, "hosta"), report(scenario, "hostb")));
        int checked = 0;
        for (ClockSync.PairMatches matches : result.matches()) {
            for (int i = 0; i < matches.sentNs().length; i++) {
                long sent = result.toReference(matches.sender(), matches.sentNs()[i]);
                long received = result.toReference(matches.receiver(), matches.receivedNs()[i]);
                assertThat(received).as("%s packet %d %s -> %s", scenario, i, matches.sender(), matches.receiver())
                        .isGreaterThanOrEqualTo(sent);
                checked++;
            }
        }
        // before synchronization, hostb's clock 2.6 s ahead makes every packet to hosta arrive before it left
        assertThat(checked).isGreaterThan(1000);
        ClockSync.Pair pair = result.pairs().get(0);
        assertThat(pair.violations()).isZero();
        assertThat(pair.rejected()).isZero();
        assertThat(pair.aToB() + pair.bToA()).isEqualTo(checked);
    }

    @Test
    void timePartsMergeIntoTheOnePassPackets() {
        Path trace = RECORDINGS.resolve("mh-uplink/hostb/trace/kernel");
        AnalysisReport parts = LabTraces.inTimeParts(trace, 2);
        AnalysisReport whole = report("mh-uplink", "hostb");
        // a packet in flight at the cut is two journeys there: at most a few records differ
        assertThat(parts.boundaryPackets().size()).isCloseTo(whole.boundaryPackets().size(),
                org.assertj.core.data.Offset.offset(4));
        assertThat(parts.boundaryPackets().clockUuid()).isEqualTo(whole.boundaryPackets().clockUuid());
        ClockSync.Transform fromParts = ClockSync.of(List.of(report("mh-uplink", "hosta"), parts)).transforms().get(1);
        ClockSync.Transform fromWhole = ClockSync.of(List.of(report("mh-uplink", "hosta"), whole)).transforms().get(1);
        assertThat(fromParts.quality()).isEqualTo(SyncQuality.ACCURATE);
        assertThat(Math.abs(fromParts.toReference(fromWhole.middleNs()) - fromWhole.toReference(fromWhole.middleNs())))
                .isLessThanOrEqualTo(fromWhole.accuracyNs());
    }
}
