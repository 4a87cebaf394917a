package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Generator scenario g49: TSO and GRO off on vm5's veth pair, so the bridge port cuts the TCP super-packets sent to
 * vm5 into segments (software GSO), and vm5's eth0 receives each one before the xmit that names the pair. Each
 * segment counts on that pair (no row of the bare name eth0, shared by every VM, takes them), and vm5's eth0
 * matches its counter but for one neighbour-discovery frame the kernel sent outside the trace, as every other
 * device of the scenario (samples/lab3/RESULTS.md).
 */
class GsoSegmentsAtPortTest {

    private static final Pattern MISMATCH =
            Pattern.compile(".*: (rx|tx) (\\d+)/(\\d+) vs counters (\\d+)/(\\d+)");

    @Test
    void segmentsCountOnThePairTheyCameThrough() {
        Path scenario = Path.of(System.getProperty("vnetscope.repo", ".."))
                .resolve("samples/lab3/partial/g49-2br-vlan-v6-offl-netem-1quiet");
        AnalysisReport report = NetworkAnalysis.analyze(scenario.resolve("trace/kernel"), AnalysisOptions.defaults());
        assertThat(report.interfaces()).filteredOn(r -> r.name().equals("eth0") && r.peer() == null).isEmpty();
        InterfaceReport vm5 = InterfaceGroundTruthTest.find(report, "eth0", "vnet4");
        assertThat(vm5.rx().packets()).as("vm5's eth0, with the segments").isGreaterThan(600);
        List<String> mismatches = GeneratedScenariosTest.interfaceMismatches(report, scenario);
        assertThat(mismatches).isNotEmpty().allSatisfy(line -> {
            Matcher m = MISMATCH.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            long packets = Long.parseLong(m.group(4)) - Long.parseLong(m.group(2));
            long bytes = Long.parseLong(m.group(5)) - Long.parseLong(m.group(3));
            // one frame short, of the size of an IPv6 neighbour solicitation or advertisement
            assertThat(packets).as(line).isEqualTo(1);
            assertThat(bytes).as(line).isBetween(70L, 90L);
        });
    }
}
