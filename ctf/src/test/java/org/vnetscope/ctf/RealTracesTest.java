package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real LTTng traces against their oracles: events by name from the reference counts (babeltrace2), and the
 * first and last timestamps babeltrace2 2.0.4 prints for them.
 */
class RealTracesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // trace, counts file (relative to the traces folder), first and last timestamp (babeltrace2 --clock-seconds)
        "public/tc-many-threads, public/reference/tc-many-threads.event-counts.txt, 1457113582.794565804, 1457113583.227228162",
        "public/tc-bug446190, public/reference/tc-bug446190.event-counts.txt, 1412670961.211260539, 1412670967.217750839",
        "public/tc-flipping-endianness, public/reference/tc-flipping-endianness.event-counts.txt, 1417383672.250167676, 1417383713.242328795",
        "public/tc-uneven-streams-partial, public/reference/tc-uneven-streams-partial.event-counts.txt, 1499451535.348185796, 1499451539.081093418",
        "lab/bridge-basic/trace, lab/bridge-basic/counts.txt, 1795647398.255881355, 1795647414.450004125",
        "lab/bridge-basic-fdb/trace, lab/bridge-basic-fdb/counts.txt, 1795647522.958429215, 1795647537.768893505",
        "lab/migration/trace, lab/migration/counts.txt, 1795647487.117125735, 1795647506.464679155",
        "lab/migration-fdb/trace, lab/migration-fdb/counts.txt, 1795647554.860237540, 1795647578.964576240",
        "lab/ovs/trace, lab/ovs/counts.txt, 1795649073.651221960, 1795649107.005401480",
        "lab/tap-vms/trace, lab/tap-vms/counts.txt, 1795648606.384226155, 1795648636.634555015",
        "lab/vlan-drops/trace, lab/vlan-drops/counts.txt, 1795647433.874296890, 1795647466.388517740",
    })
    void countsAndTimeSpanMatchTheOracles(String trace, String countsFile, String first, String last) throws IOException {
        Path root = traces();
        Map<String, Long> expected = readCounts(root.resolve(countsFile));
        Map<String, Long> actual = new HashMap<>();
        long total = 0;
        long firstNs = Long.MAX_VALUE;
        long lastNs = Long.MIN_VALUE;
        long previous = Long.MIN_VALUE;
        long discards = 0;
        try (TraceReader reader = TraceReader.open(root.resolve(trace), TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null) {
                    discards++;
                    continue;
                }
                total++;
                actual.merge(event.name(), 1L, Long::sum);
                long ns = event.timestampNs();
                assertThat(ns).as("merged order is by timestamp").isGreaterThanOrEqualTo(previous);
                previous = ns;
                firstNs = Math.min(firstNs, ns);
                lastNs = Math.max(lastNs, ns);
            }
        }
        assertThat(total).isEqualTo(expected.remove("TOTAL"));
        assertThat(actual).isEqualTo(expected);
        assertThat(discards).as("these traces lost nothing").isZero();
        assertThat(seconds(firstNs)).isEqualTo(first);
        assertThat(seconds(lastNs)).isEqualTo(last);
    }

    static Path traces() {
        String property = System.getProperty("vnetscope.traces");
        Path root = property == null ? null : Path.of(property);
        Assumptions.assumeTrue(root != null && Files.isDirectory(root),
                "shared traces folder not found (system property vnetscope.traces): skipping real-trace tests");
        return root;
    }

    /** Reads "count name" lines (either order of the TOTAL line: first in reference files, last in lab ones). */
    private static Map<String, Long> readCounts(Path file) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2) {
                continue;
            }
            if (words[0].equals("TOTAL")) {
                counts.put("TOTAL", Long.parseLong(words[1]));
            } else {
                counts.put(words[1], Long.parseLong(words[0]));
            }
        }
        return counts;
    }

    private static String seconds(long ns) {
        return String.format("%d.%09d", Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
