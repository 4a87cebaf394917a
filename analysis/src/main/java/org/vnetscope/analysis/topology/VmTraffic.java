package org.vnetscope.analysis.topology;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vnetscope.analysis.paths.DeviceRef;
import org.vnetscope.analysis.paths.PacketPath;

/**
 * One cell of the VM traffic matrix.
 *
 * @param from    the VM (or port) packets entered the bridge from; the bridge's name for packets that the bridge
 *                itself sent (the host's, or flooded copies whose original the trace cannot link)
 * @param to      the VM (or port) they left through; "host" when the bridge delivered them to the host itself;
 *                "none" when they died before leaving
 * @param packets packets
 * @param bytes   frame bytes
 * @param dropped of which dropped
 */
public record VmTraffic(String from, String to, long packets, long bytes, long dropped) implements Serializable {

    /** The matrix of the paths over the topology: a VM is a bridge port (named when the topology names it). */
    public static List<VmTraffic> matrix(List<PacketPath> paths, Topology topology) {
        Map<String, String> vmOfDevice = new HashMap<>();
        Map<String, String> bridges = new HashMap<>();
        Map<String, String> bridgeOfPort = new HashMap<>();
        for (Topology.Bridge bridge : topology.bridges()) {
            bridges.put(bridge.name(), bridge.name());
            for (Topology.Port port : bridge.ports()) {
                bridgeOfPort.put(port.name(), bridge.name());
                String vm = port.vm() != null ? port.vm() : port.name();
                vmOfDevice.put(port.name(), vm);
                if (port.peer() != null) {
                    vmOfDevice.put(port.peer().name() + "\t" + port.name(), vm);
                }
            }
        }
        Map<String, long[]> cells = new TreeMap<>();
        for (PacketPath path : paths) {
            String from = null;
            String to = null;
            boolean toHost = false;
            for (DeviceRef device : path.devices()) {
                String vm = vmOfDevice.get(device.name());
                if (vm == null && device.partner() != null) {
                    vm = vmOfDevice.get(device.name() + "\t" + device.partner());
                }
                if (vm != null && from == null) {
                    boolean leavesBridge = device.transmit() && bridgeOfPort.containsKey(device.name());
                    from = leavesBridge ? bridgeOfPort.get(device.name()) : vm;
                    to = leavesBridge ? vm : null;
                } else if (vm != null && !vm.equals(from)) {
                    to = vm;
                } else if (from != null && bridges.containsKey(device.name())) {
                    toHost = true;
                }
            }
            if (from == null) {
                continue; // never crossed a bridge port: host-local traffic
            }
            if (to == null && !toHost && path.segmented() == path.packets()) {
                continue; // cut into segments before the bridge: the segments are paths of their own
            }
            String destination = to != null ? to : toHost ? "host" : "none";
            long[] cell = cells.computeIfAbsent(from + "\t" + destination, k -> new long[3]);
            cell[0] += path.packets();
            cell[1] += path.bytes();
            cell[2] += path.dropped();
        }
        List<VmTraffic> matrix = new ArrayList<>();
        cells.forEach((key, cell) -> {
            String[] ends = key.split("\t");
            matrix.add(new VmTraffic(ends[0], ends[1], cell[0], cell[1], cell[2]));
        });
        return List.copyOf(matrix);
    }
}
