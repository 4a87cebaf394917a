package org.vnetscope.analysis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real traces and their ground truth are, and how to read it. */
final class GroundTruth {
    private GroundTruth() {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** The shared lab folder; skips the test when it is absent (a fresh clone). */
    static Path lab() {
        return shared().resolve("lab");
    }

    static Path shared() {
        String traces = System.getProperty("vnetscope.traces");
        Path path = traces == null ? null : Path.of(traces);
        assumeTrue(path != null && Files.isDirectory(path.resolve("lab")),
                "real traces not found (system property vnetscope.traces): skipping ground-truth test");
        return path;
    }

    /** The sample bundled in the repository. */
    static Path sample() {
        String repo = System.getProperty("vnetscope.repo", "..");
        return Path.of(repo).resolve("samples/bridge-basic");
    }

    /** A real trace bundled in the repository under samples/lab2 (there on a fresh clone: no skip). */
    static Path lab2(String scenario) {
        return sample().resolveSibling("lab2").resolve(scenario);
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
