package org.vnetscope.spark;

import java.util.List;
import java.util.Map;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.document.AnalysisEngine;
import org.vnetscope.document.HostTraces;
import org.vnetscope.document.PhaseTimes;

/**
 * {@code vnetscope analyze --engine spark}: the hosts' analyses as a Spark job ({@link HostsJob}), on the master
 * {@code --master} names (default {@code local[*]}). The command line finds it through {@link java.util.ServiceLoader}
 * when the launcher has put this module and Spark on the class path.
 */
public final class SparkEngine implements AnalysisEngine {

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public List<AnalysisReport> analyze(List<HostTraces> hosts, AnalysisOptions options, Map<String, String> settings) {
        String master = Sessions.checkMaster(settings.getOrDefault("master", Sessions.DEFAULT_MASTER));
        long started = PhaseTimes.start();
        try (Sessions.Lease lease = Sessions.lease(master, "vnetscope analyze")) {
            started = PhaseTimes.done("spark session start-up (" + master + ")", started);
            List<AnalysisReport> reports = HostsJob.run(lease.session(), hosts, options);
            PhaseTimes.done("spark job, " + hosts.size() + " hosts", started);
            return reports;
        }
    }
}
