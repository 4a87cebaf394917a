package org.vnetscope.document;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;

/**
 * Something that runs each host's analysis elsewhere than on the command line's own threads (a Spark cluster).
 * Engines are found with {@link ServiceLoader}, so that the command line knows none of them: an engine's module
 * and its libraries are on the class path only when it is asked for. Whatever runs the hosts' analyses, what
 * comes after them (the clocks, the migrations, the documents) is the command line's, so the results are the same.
 */
public interface AnalysisEngine {

    /** The name {@code --engine} selects it by. */
    String name();

    /**
     * Analyses each host's traces as {@code NetworkAnalysis.analyze} over {@link HostTraces#open()} does, and
     * returns the reports in the order of {@code hosts}.
     *
     * @param settings the engine's own settings from the command line (e.g. {@code master}), absent when not given
     * @throws IllegalArgumentException for a setting the engine cannot use (told to the user in one line)
     */
    List<AnalysisReport> analyze(List<HostTraces> hosts, AnalysisOptions options, Map<String, String> settings);

    /** The engine of that name on the class path. */
    static Optional<AnalysisEngine> named(String name) {
        for (AnalysisEngine engine : ServiceLoader.load(AnalysisEngine.class)) {
            if (engine.name().equals(name)) {
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }
}
