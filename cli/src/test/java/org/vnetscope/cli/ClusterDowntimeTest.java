package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.HostAnalysis;

/**
 * A migration's downtime read again on every host (samples/lab5's recording, whose VM lost 50 pings while it moved,
 * beside a host traced on another day): the windows of hosts whose traces end before the downtime or begin after it
 * are not read when the hosts' traces were analysed whole, and the windows are read for their traffic alone; the
 * document is the same as when every window is read by a full analysis.
 */
class ClusterDowntimeTest {
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final AnalysisOptions OPTIONS = AnalysisOptions.defaults();

    private static List<HostAnalysis> hosts(Path... paths) {
        List<TraceHosts.Host> hosts;
        try (TraceReader all = TraceReader.open(List.of(paths), TraceReader.Warnings.IGNORE)) {
            hosts = TraceHosts.of(all.traces());
        }
        List<HostAnalysis> analysed = new ArrayList<>();
        for (TraceHosts.Host host : hosts) {
            String label = HostAnalysis.label(host);
            analysed.add(new HostAnalysis(host, label, NetworkAnalysis.analyze(
                    TraceReader.open(host.directories(), TraceReader.Warnings.IGNORE), label, OPTIONS, null)));
        }
        return analysed;
    }

    /** Every window read as the whole analysis of the host's traces over it, counted. */
    private static Cluster.Rereading fullAnalyses(AtomicInteger windows) {
        return (list, options) -> {
            windows.addAndGet(list.size());
            List<AnalysisReport> reports = new ArrayList<>();
            for (Cluster.Window window : list) {
                TraceReader reader = TraceReader.open(window.host().host().directories(), TraceReader.Warnings.IGNORE);
                reader.limitTo(window.beginNs(), window.endNs());
                reports.add(NetworkAnalysis.analyze(reader, window.host().trace(), options, null));
            }
            return reports;
        };
    }

    private static Cluster.Rereading counted(AtomicInteger windows) {
        return (list, options) -> {
            windows.addAndGet(list.size());
            return Cluster.ON_THIS_MACHINE.analyse(list, options);
        };
    }

    @Test
    void hostsOutsideTheDowntimeAreNotReadAndTheDocumentIsThatOfEveryWindowReadWhole() {
        List<HostAnalysis> hosts = hosts(REPO.resolve("samples/lab5/recordings/mh-uplink"),
                REPO.resolve("samples/bridge-basic/trace/kernel"));
        assertThat(hosts).hasSize(3);

        AtomicInteger everyWindow = new AtomicInteger();
        Cluster whole = Cluster.of(hosts, OPTIONS, fullAnalyses(everyWindow), false);
        assertThat(whole.migrations()).hasSize(1);
        assertThat(whole.migrations().get(0).lostPackets()).isEqualTo(50);
        assertThat(everyWindow.get()).isEqualTo(3);

        AtomicInteger skipping = new AtomicInteger();
        Cluster skipped = Cluster.of(hosts, OPTIONS, counted(skipping), true);
        assertThat(skipping.get()).isEqualTo(2); // the host of another day holds nothing of the downtime
        assertThat(skipped.document()).isEqualTo(whole.document());

        // a time range may leave events beyond a host's report: then every window is read
        AtomicInteger limited = new AtomicInteger();
        assertThat(Cluster.of(hosts, OPTIONS, counted(limited), false).document()).isEqualTo(whole.document());
        assertThat(limited.get()).isEqualTo(3);
    }
}
