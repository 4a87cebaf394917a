package org.vnetscope.document;

import java.nio.file.Path;
import java.util.List;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.TraceHosts;

/**
 * One traced host's traces and their analysis.
 *
 * @param host   the host, as the traces name it, and its trace directories
 * @param trace  the traces as the user named them (the document's {@code trace})
 * @param report the analysis of the host's traces
 */
public record HostAnalysis(TraceHosts.Host host, String trace, AnalysisReport report) {

    /** A host's traces as the user would name them: its one trace directory, or the folder holding them. */
    public static String label(TraceHosts.Host host) {
        List<Path> directories = host.directories();
        if (directories.size() == 1) {
            return directories.get(0).toString();
        }
        Path common = directories.get(0);
        for (Path directory : directories) {
            while (common != null && !directory.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common == null ? directories.get(0).toString() : common.toString();
    }
}
