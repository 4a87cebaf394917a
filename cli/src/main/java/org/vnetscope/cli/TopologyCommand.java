package org.vnetscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.topology.NetworkAnalysis;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmDirectory;
import org.vnetscope.analysis.topology.VmTraffic;
import org.vnetscope.ctf.EventStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vnetscope topology TRACE}: the virtual network, its changes, packet paths and VM traffic. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Bridges, ports, VMs and their changes over time, packet paths and the VM traffic matrix.")
public final class TopologyCommand implements Callable<Integer> {

    enum Format { tree, json, dot }

    @Parameters(paramLabel = "TRACE", description = "trace directory (or LTTng session folder)")
    Path trace;

    @Option(names = "--format", description = "tree, json or dot (Graphviz); default: ${DEFAULT-VALUE}",
            defaultValue = "tree")
    Format format;

    @Option(names = "--vm-map", paramLabel = "FILE",
            description = "VM names: lines 'name key...', keys being device names, MACs or netns inodes")
    Path vmMap;

    @Option(names = "--libvirt", paramLabel = "PATH", description = "libvirt domain XML file or folder of them")
    List<Path> libvirt = List.of();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        VmDirectory vms = VmDirectory.empty();
        if (vmMap != null) {
            vms.addMapping(vmMap);
        }
        libvirt.forEach(vms::addLibvirt);
        NetworkAnalysis analysis = new NetworkAnalysis(vms);
        try (EventStream stream = EventStream.open(trace)) {
            analysis.subscribe(stream);
            stream.start();
        }
        NetworkAnalysis.Result result = analysis.finish();
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.println(json().writeValueAsString(asJson(result)));
            case dot -> out.print(dot(result.topology()));
            case tree -> out.print(tree(result));
        }
        return 0;
    }

    /** The JSON names of the public contract are the snake_case forms of the record components. */
    static ObjectMapper json() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    static Map<String, Object> asJson(NetworkAnalysis.Result result) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("topology", result.topology());
        root.put("paths", result.paths());
        root.put("chains", result.chains());
        root.put("vm_matrix", result.vmMatrix());
        return root;
    }

    static String tree(NetworkAnalysis.Result result) {
        StringBuilder sb = new StringBuilder();
        Topology topology = result.topology();
        for (Topology.Bridge bridge : topology.bridges()) {
            sb.append(bridge.name()).append(bridge.ipv4().isEmpty() ? "" : " " + bridge.ipv4()).append('\n');
            for (int i = 0; i < bridge.ports().size(); i++) {
                Topology.Port port = bridge.ports().get(i);
                boolean last = i == bridge.ports().size() - 1;
                sb.append(last ? "└── " : "├── ").append(port.name()).append(" (").append(port.kind()).append(')');
                if (port.vm() != null) {
                    sb.append(" vm ").append(port.vm());
                }
                if (port.peer() != null) {
                    sb.append(" ↔ ").append(port.peer().name())
                            .append(port.peer().netns() == null ? "" : " netns " + port.peer().netns());
                }
                if (port.removedNs() != null) {
                    sb.append(" removed at ").append(port.removedNs());
                }
                sb.append('\n');
                String indent = last ? "    " : "│   ";
                for (Topology.Mac mac : port.macs()) {
                    sb.append(indent).append("mac ").append(mac.mac())
                            .append(mac.vlan() == null ? "" : " vlan " + mac.vlan()).append('\n');
                }
                if (!port.ipv4().isEmpty()) {
                    sb.append(indent).append("ipv4 ").append(String.join(", ", port.ipv4())).append('\n');
                }
            }
        }
        for (Topology.VethPair pair : topology.vethPairs()) {
            sb.append("veth ").append(pair.a()).append(" ↔ ").append(pair.b())
                    .append(pair.netns() == null ? "" : " netns " + pair.netns()).append('\n');
        }
        if (!topology.changes().isEmpty()) {
            sb.append("\nchanges\n");
            for (Topology.Change change : topology.changes()) {
                sb.append("  ").append(change.timeNs()).append(' ').append(change.kind()).append(' ')
                        .append(change.mac() != null ? change.mac() : change.ip() != null ? change.ip() : "")
                        .append(change.from() == null ? "" : " from " + change.from())
                        .append(change.to() == null ? "" : " to " + change.to()).append('\n');
            }
        }
        sb.append("\npaths (").append(result.chains().journeys()).append(" packets followed, ")
                .append(result.chains().splitOnHeaders()).append(" chains split on headers, ")
                .append(result.chains().ambiguous()).append(" ambiguous)\n");
        for (PacketPath path : result.paths()) {
            sb.append(String.format("  %8d pkts %12d B  p50 %,d ns  p99 %,d ns  %s%n", path.packets(), path.bytes(),
                    path.latencyNs().p50(), path.latencyNs().p99(), String.join(" → ", path.hops())));
            for (PacketPath.Drop drop : path.drops()) {
                sb.append(String.format("           %d dropped at %s: %s%n", drop.packets(), drop.at(), drop.reason()));
            }
        }
        sb.append("\nVM traffic\n");
        for (VmTraffic cell : result.vmMatrix()) {
            sb.append(String.format("  %-10s → %-10s %8d pkts %12d B %6d dropped%n", cell.from(), cell.to(),
                    cell.packets(), cell.bytes(), cell.dropped()));
        }
        return sb.toString();
    }

    static String dot(Topology topology) {
        StringBuilder sb = new StringBuilder("graph topology {\n  node [shape=box];\n");
        for (Topology.Bridge bridge : topology.bridges()) {
            sb.append("  ").append(quote(bridge.name())).append(" [shape=ellipse];\n");
            for (Topology.Port port : bridge.ports()) {
                String label = port.name() + (port.vm() == null ? "" : "\\n" + port.vm());
                sb.append("  ").append(quote(port.name())).append(" [label=").append(quote(label))
                        .append(port.removedNs() != null ? ", style=dashed" : "").append("];\n");
                sb.append("  ").append(quote(bridge.name())).append(" -- ").append(quote(port.name())).append(";\n");
                if (port.peer() != null) {
                    String peer = port.peer().name() + "@" + port.name();
                    String peerLabel = port.peer().name()
                            + (port.peer().netns() == null ? "" : "\\nnetns " + port.peer().netns());
                    sb.append("  ").append(quote(peer)).append(" [label=").append(quote(peerLabel)).append("];\n");
                    sb.append("  ").append(quote(port.name())).append(" -- ").append(quote(peer))
                            .append(" [label=veth];\n");
                }
            }
        }
        return sb.append("}\n").toString();
    }

    private static String quote(String text) {
        // labels keep their \n escapes (DOT line breaks); only quotes need escaping
        return '"' + text.replace("\"", "\\\"") + '"';
    }
}
