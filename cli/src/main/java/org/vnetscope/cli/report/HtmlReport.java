package org.vnetscope.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns an analysis document (the JSON that {@code vnetscope analyze --format json} prints) into one
 * self-contained HTML page: styles, script and data inline, so it opens offline and fetches nothing.
 * The page draws every view in the browser from the embedded document, so the report depends on the
 * documented JSON shape alone.
 */
public final class HtmlReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {
    }

    /**
     * Renders the page; {@code title} names the trace in the heading. A long trace's interface series are shown in
     * coarser bins ({@link ReportBins}).
     */
    public static String render(JsonNode analysis, String title) {
        String template = resource("report.html");
        // Fill the data last and by position, so text inside the script or the data never acts as a placeholder.
        return fill(template, "@TITLE@", escapeHtml(title), "@CSS@", resource("report.css"),
                "@JS@", resource("report.js"), "@DATA@",
                scriptSafeJson(ReportBins.coarsened(analysis, ReportBins.MAX_BINS)));
    }

    private static String fill(String template, String... placeholdersAndValues) {
        StringBuilder out = new StringBuilder(template.length() * 2);
        int from = 0;
        while (true) {
            int next = -1;
            String value = null;
            int length = 0;
            for (int i = 0; i < placeholdersAndValues.length; i += 2) {
                int at = template.indexOf(placeholdersAndValues[i], from);
                if (at >= 0 && (next < 0 || at < next)) {
                    next = at;
                    length = placeholdersAndValues[i].length();
                    value = placeholdersAndValues[i + 1];
                }
            }
            if (next < 0) {
                return out.append(template, from, template.length()).toString();
            }
            out.append(template, from, next).append(value);
            from = next + length;
        }
    }

    /**
     * JSON inside a script element ends at the first {@code </script}; '<', '>' and '&' can only occur inside
     * JSON strings, where their unicode escapes mean the same text.
     */
    static String scriptSafeJson(JsonNode analysis) {
        String json;
        try {
            json = JSON.writeValueAsString(analysis);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the analysis document", e);
        }
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource missing from the build: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
