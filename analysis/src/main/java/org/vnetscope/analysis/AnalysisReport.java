package org.vnetscope.analysis;

import java.util.List;

/**
 * Everything {@code vnetscope analyze} reports about one trace.
 *
 * @param trace      the trace path as given
 * @param startNs    first event, ns since the epoch
 * @param endNs      last event
 * @param binNs      width of the timeline bins
 * @param interfaces per-interface traffic
 * @param streams    conversations, largest first
 * @param drops      drops by interface, reason and location, most frequent first
 * @param offload    GSO/GRO use per interface
 * @param lostEvents ranges where the tracer lost data; empty when it lost none
 * @param notes      what the trace cannot show, and how to record it next time
 */
public record AnalysisReport(String trace, long startNs, long endNs, long binNs, List<InterfaceReport> interfaces,
                             List<StreamReport> streams, List<DropReport> drops, List<OffloadReport> offload,
                             List<LostRange> lostEvents, List<String> notes) {

    public AnalysisReport {
        interfaces = List.copyOf(interfaces);
        streams = List.copyOf(streams);
        drops = List.copyOf(drops);
        offload = List.copyOf(offload);
        lostEvents = List.copyOf(lostEvents);
        notes = List.copyOf(notes);
    }
}
