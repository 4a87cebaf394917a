package org.vnetscope.analysis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.TraceReader;

/** The lab traces beside the repository, their ground truth, and an event stream over each. */
public final class LabTraces {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private LabTraces() {
    }

    /**
     * The scenario folder; skips the test when the shared traces are absent. A name under {@code lab2/} is a
     * trace bundled in the repository (samples/lab2), there on a fresh clone.
     */
    public static Path scenario(String name) {
        if (name.startsWith("lab2/")) {
            return Path.of(System.getProperty("vnetscope.repo", "..")).resolve("samples").resolve(name);
        }
        String root = System.getProperty("vnetscope.traces");
        assumeTrue(root != null, "system property vnetscope.traces is not set: lab traces unavailable");
        Path folder = Path.of(root, "lab", name);
        assumeTrue(Files.isDirectory(folder.resolve("trace")), "lab trace " + folder + " is absent: skipped");
        return folder;
    }

    public static JsonNode json(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An event stream over the scenario's kernel trace, read by the project's reader. */
    public static EventStream stream(Path scenario) {
        return EventStream.open(scenario.resolve("trace").resolve("kernel"), TraceReader.Warnings.IGNORE);
    }

    /**
     * A trace analysed in {@code parts} time parts ({@link TraceReader#split}), each on its own, the parts merged: the
     * report a distributed runner would make of it.
     */
    public static AnalysisReport inTimeParts(Path trace, int parts) {
        TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE);
        TraceReader.Split split = reader.split(parts);
        org.assertj.core.api.Assertions.assertThat(split.parts()).hasSize(parts);
        NetworkAnalysis merged = null;
        for (TraceReader part : split.parts()) {
            NetworkAnalysis analysis = new NetworkAnalysis(AnalysisOptions.defaults());
            try (EventStream stream = EventStream.of(part)) {
                analysis.subscribe(stream);
                stream.start();
            }
            if (merged == null) {
                merged = analysis;
            } else {
                merged.merge(analysis);
            }
        }
        return merged.report(trace.toString(), reader.traces());
    }
}
