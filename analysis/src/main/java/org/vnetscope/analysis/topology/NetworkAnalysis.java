package org.vnetscope.analysis.topology;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.vnetscope.analysis.paths.DeviceRef;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.paths.PacketTracker;
import org.vnetscope.analysis.paths.PathGraph;
import org.vnetscope.ctf.EventStream;

/**
 * Topology, packet paths and VM traffic matrix of a trace, in one pass: one packet tracker feeds both the path
 * graph and the traffic side of the topology.
 */
public final class NetworkAnalysis {

    private final VmDirectory vms;
    private final PacketTracker tracker = new PacketTracker();
    private final PathGraph paths = new PathGraph();
    private final TopologyBuilder topology = new TopologyBuilder();

    public NetworkAnalysis(VmDirectory vms) {
        this.vms = vms;
        tracker.addListener(paths).addListener(topology);
    }

    /** Registers the handlers; call before the stream starts. */
    public NetworkAnalysis subscribe(EventStream stream) {
        tracker.subscribe(stream);
        topology.subscribe(stream);
        return this;
    }

    /** Adds a listener for every finished journey (call before the stream starts). */
    public NetworkAnalysis onJourney(java.util.function.Consumer<org.vnetscope.analysis.paths.Journey> listener) {
        tracker.addListener(listener);
        return this;
    }

    /** Ends the packets still in flight; call once the stream ended. */
    public Result finish() {
        tracker.finish();
        Topology map = topology.result(vms);
        List<PacketPath> pathList = paths.result(labeler(map));
        return new Result(map, pathList, tracker.stats(), VmTraffic.matrix(pathList, map));
    }

    /**
     * Labels for path devices: a port by its name; a veth peer by its name and the VM (or port) it sits behind,
     * since names like eth0 repeat in every VM.
     */
    static Function<DeviceRef, String> labeler(Topology map) {
        Map<String, String> vmOfPort = map.bridges().stream().flatMap(b -> b.ports().stream())
                .collect(Collectors.toMap(Topology.Port::name, p -> p.vm() != null ? p.vm() : p.name(), (a, b) -> a));
        return device -> {
            if (vmOfPort.containsKey(device.name()) || device.partner() == null) {
                return device.name();
            }
            String behind = vmOfPort.get(device.partner());
            return device.name() + "@" + (behind != null ? behind : device.partner());
        };
    }

    /**
     * @param topology the network
     * @param paths    packet paths, most packets first
     * @param chains   how packets were followed: journeys, chains split on header disagreement, ambiguous cuts
     * @param vmMatrix traffic between VMs
     */
    public record Result(Topology topology, List<PacketPath> paths, PacketTracker.ChainStats chains,
                         List<VmTraffic> vmMatrix) {
    }
}
