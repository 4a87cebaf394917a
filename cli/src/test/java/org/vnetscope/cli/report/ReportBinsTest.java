package org.vnetscope.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's coarser bins for long traces, on the analysis document of a real lab trace (migration-fdb). */
class ReportBinsTest {

    private static final String[] COUNTS = {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drop_packets"};

    @Test
    void aShortTracesDocumentIsShownAsItIs() throws Exception {
        JsonNode document = HtmlReportBrowserTest.migrationDocument();
        assertThat(ReportBins.coarsened(document, ReportBins.MAX_BINS)).isSameAs(document);
    }

    @Test
    void binsAreAddedUpExactlyIntoWiderOnesAlignedOnTheirWidth() throws Exception {
        JsonNode document = HtmlReportBrowserTest.migrationDocument();
        long binNs = document.get("bin_ns").asLong();
        long span = (document.get("end_ns").asLong() - document.get("start_ns").asLong()) / binNs + 1;
        assertThat(span).as("the trace spans several bins").isGreaterThan(4);

        JsonNode coarse = ReportBins.coarsened(document, 4);

        long factor = coarse.get("bin_ns").asLong() / binNs;
        assertThat(coarse.get("bin_ns").asLong()).isEqualTo(factor * binNs);
        assertThat(factor).isEqualTo(ReportBins.factor(span, 4)).isGreaterThan(1);
        assertThat(span / factor).isLessThanOrEqualTo(4);
        for (int i = 0; i < document.get("interfaces").size(); i++) {
            JsonNode fine = document.get("interfaces").get(i).path("timeline");
            JsonNode wide = coarse.get("interfaces").get(i).path("timeline");
            assertThat(totals(wide)).as("interface %d", i).isEqualTo(totals(fine));
            assertThat(wide.size()).isLessThanOrEqualTo(Math.max(fine.size(), 1));
            long previous = Long.MIN_VALUE;
            for (JsonNode point : wide) {
                long start = point.get("start_ns").asLong();
                assertThat(Math.floorMod(start, factor * binNs)).isZero();
                assertThat(start).isGreaterThan(previous);
                previous = start;
            }
        }
        assertThat(coarse.get("notes").toString()).contains("bins of").contains("added up by " + factor);
        assertThat(document.get("bin_ns").asLong()).as("the analysis's document is left as it was").isEqualTo(binNs);
    }

    @Test
    void theFactorIsOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(ReportBins.factor(1000, 1000)).isEqualTo(1);
        assertThat(ReportBins.factor(1001, 1000)).isEqualTo(2);
        assertThat(ReportBins.factor(2001, 1000)).isEqualTo(5);
        assertThat(ReportBins.factor(86_400, 1000)).isEqualTo(100);
        assertThat(ReportBins.factor(86_400, 10)).isEqualTo(10_000);
    }

    private static Map<String, Long> totals(JsonNode timeline) {
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode point : timeline) {
            for (String count : COUNTS) {
                totals.merge(count, point.path(count).asLong(0), Long::sum);
            }
        }
        return totals;
    }
}
