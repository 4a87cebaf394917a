package org.vnetscope.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void pageFetchesNothing() throws Exception {
        String html = HtmlReport.render(HtmlReportBrowserTest.migrationDocument(), "sample");

        assertThat(html).contains("Content-Security-Policy\" content=\"default-src 'none';");
        assertThat(html).doesNotContain(" src=").doesNotContain("@import").doesNotContain("<link");
        assertThat(html).as("url() only for references inside the page").doesNotContainPattern("url\\((?!#)");
        Matcher urls = Pattern.compile("https?://[^\\s'\"<)]*").matcher(html);
        while (urls.find()) {
            assertThat(urls.group()).as("only XML namespace names may look like URLs").isEqualTo("http://www.w3.org/2000/svg");
        }
    }

    @Test
    void embeddedDocumentIsTheAnalysisDocument() throws Exception {
        var document = HtmlReportBrowserTest.migrationDocument();
        String html = HtmlReport.render(document, "a <title> & more");

        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"vnetscope-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertThat(data.find()).isTrue();
        assertThat(new ObjectMapper().readTree(data.group(1))).isEqualTo(document);
        assertThat(html).contains("<title>vnetscope report: a &lt;title&gt; &amp; more</title>");
    }
}
