package org.vnetscope.analysis;

import java.io.Serializable;
import java.util.List;
import org.vnetscope.analysis.ovs.Datapath;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.sync.BoundaryPackets;
import org.vnetscope.analysis.topology.SenderTraffic;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;

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
 * @param topology   bridges, ports, what sits behind them, and how that changed
 * @param paths      packet paths: device sequences with packets, bytes, latency and drops, most packets first
 * @param chains     how packets were followed into paths (splits, ambiguous cuts)
 * @param vmMatrix   traffic between VMs
 * @param datapaths  Open vSwitch kernel datapaths: ports, OUTPUT actions, upcalls, executed flows, drops; empty
 *                   when the trace has no datapath events
 * @param lostEvents ranges where the tracer lost data; empty when it lost none
 * @param notes      what the trace cannot show, and how to record it next time
 * @param host       the traced host's name (the trace's {@code hostname}), or null when the trace does not say
 * @param senderTraffic IPv4 traffic by address pair and the device it was sent from, binned (what a VM traffic
 *                   matrix over several hosts is built from, each packet counted where it was sent)
 * @param boundaryPackets the packets that left or entered the host, with their keys and times and the trace's
 *                   clock: what {@link org.vnetscope.analysis.sync.ClockSync} matches across hosts' reports
 */
public record AnalysisReport(String trace, long startNs, long endNs, long binNs, List<InterfaceReport> interfaces,
                             List<StreamReport> streams, List<DropReport> drops, List<OffloadReport> offload,
                             Topology topology, List<PacketPath> paths, ChainStats chains, List<VmTraffic> vmMatrix,
                             List<Datapath> datapaths,
                             List<LostRange> lostEvents, List<String> notes, String host,
                             List<SenderTraffic.Row> senderTraffic, BoundaryPackets boundaryPackets)
        implements Serializable {

    public AnalysisReport {
        interfaces = List.copyOf(interfaces);
        streams = List.copyOf(streams);
        drops = List.copyOf(drops);
        offload = List.copyOf(offload);
        paths = List.copyOf(paths);
        vmMatrix = List.copyOf(vmMatrix);
        datapaths = List.copyOf(datapaths);
        lostEvents = List.copyOf(lostEvents);
        notes = List.copyOf(notes);
        senderTraffic = List.copyOf(senderTraffic);
        boundaryPackets = boundaryPackets == null ? BoundaryPackets.NONE : boundaryPackets;
    }

    /** A report without the packets clock synchronization matches (a report built before there were any). */
    public AnalysisReport(String trace, long startNs, long endNs, long binNs, List<InterfaceReport> interfaces,
                          List<StreamReport> streams, List<DropReport> drops, List<OffloadReport> offload,
                          Topology topology, List<PacketPath> paths, ChainStats chains, List<VmTraffic> vmMatrix,
                          List<Datapath> datapaths, List<LostRange> lostEvents, List<String> notes, String host,
                          List<SenderTraffic.Row> senderTraffic) {
        this(trace, startNs, endNs, binNs, interfaces, streams, drops, offload, topology, paths, chains, vmMatrix,
                datapaths, lostEvents, notes, host, senderTraffic, BoundaryPackets.NONE);
    }

    /** A report that names no host and keeps no sender table (a part of a trace, a test's). */
    public AnalysisReport(String trace, long startNs, long endNs, long binNs, List<InterfaceReport> interfaces,
                          List<StreamReport> streams, List<DropReport> drops, List<OffloadReport> offload,
                          Topology topology, List<PacketPath> paths, ChainStats chains, List<VmTraffic> vmMatrix,
                          List<Datapath> datapaths, List<LostRange> lostEvents, List<String> notes) {
        this(trace, startNs, endNs, binNs, interfaces, streams, drops, offload, topology, paths, chains, vmMatrix,
                datapaths, lostEvents, notes, null, List.of(), BoundaryPackets.NONE);
    }
}
