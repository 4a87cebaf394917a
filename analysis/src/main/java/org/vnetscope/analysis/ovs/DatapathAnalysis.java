package org.vnetscope.analysis.ovs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vnetscope.analysis.DropReport;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;

/**
 * What the Open vSwitch kernel datapath did, from its probe events, in one pass: its ports (datapath port number
 * to device, from the in_port and device every event names), OUTPUT actions per port, upcalls per in_port with
 * their times, and the packets it executed by flow key. Which packets it dropped needs the packets' journeys, so
 * the packet tracker finds those (drop reason {@link OvsFields#NO_OUTPUT_REASON}) and {@link #report} counts
 * them per port.
 *
 * <p>State is a few arrays per datapath, indexed by port number, and one accumulator per distinct flow key: an
 * event allocates nothing unless it names a new port or flow, or is one of the first upcalls listed.
 */
public final class DatapathAnalysis {

    /** Upcalls listed one by one; beyond this they are only counted. */
    public static final int MAX_LISTED_UPCALLS = 1000;
    private static final int MAX_NAME = 64;

    private final byte[] nameScratch = new byte[MAX_NAME];
    private final byte[] keyScratch = new byte[8];
    private final List<byte[]> datapathNames = new ArrayList<>(2);
    private final List<State> datapaths = new ArrayList<>(2);

    public void subscribe(EventStream stream) {
        stream.onEvent(OvsFields.UPCALL, this::onUpcall);
        stream.onEvent(OvsFields.EXECUTE_ACTION, this::onAction);
    }

    private void onUpcall(Event event) {
        State state = state(event);
        int inPort = state.port(event);
        long time = event.timestampNs();
        state.upcalls++;
        state.upcallsByPort[inPort]++;
        if (state.firstUpcall[inPort] == 0) {
            state.firstUpcall[inPort] = time;
        }
        state.lastUpcall[inPort] = time;
        if (state.upcallList.size() < MAX_LISTED_UPCALLS) {
            state.upcallList.add(new Datapath.Upcall(time, inPort, null, (int) event.getLong(OvsFields.UPCALL_CMD),
                    key(event)));
        }
    }

    private void onAction(Event event) {
        State state = state(event);
        int inPort = state.port(event);
        long hash = OvsFields.flowKeyHash(event, keyScratch);
        FlowAccumulator flow = state.flow(hash, inPort, event);
        if (event.getLong(OvsFields.ACTION_TYPE) == OvsFields.ACTION_OUTPUT) {
            int out = (int) event.getLong(OvsFields.OUTPUT_PORT);
            state.ensure(out);
            state.outputs[out]++;
            state.outputActions++;
            flow.outputs.set(out);
        }
        if (event.getLong(OvsFields.IS_LAST) != 0) {
            long time = event.timestampNs();
            state.executedPackets++;
            flow.packets++;
            flow.bytes += event.getLong(OvsFields.LEN);
            if (flow.packets == 1) {
                flow.firstNs = time;
            }
            flow.lastNs = time;
        }
    }

    private State state(Event event) {
        int length = Math.min(event.copyBytes(OvsFields.DP_NAME, nameScratch), MAX_NAME);
        while (length > 0 && nameScratch[length - 1] == 0) {
            length--;
        }
        for (int i = 0; i < datapathNames.size(); i++) {
            byte[] known = datapathNames.get(i);
            if (Arrays.equals(known, 0, known.length, nameScratch, 0, length)) {
                return datapaths.get(i);
            }
        }
        byte[] name = Arrays.copyOf(nameScratch, length);
        State state = new State(new String(name, StandardCharsets.UTF_8));
        datapathNames.add(name);
        datapaths.add(state);
        return state;
    }

    private Datapath.FlowKey key(Event event) {
        return new Datapath.FlowKey(mac(event.getBytes(OvsFields.ETH_SRC)), mac(event.getBytes(OvsFields.ETH_DST)),
                (int) event.getLong(OvsFields.ETH_TYPE), (int) event.getLong(OvsFields.IP_PROTO),
                ipv4(event.getBytes(OvsFields.IPV4_SRC)), ipv4(event.getBytes(OvsFields.IPV4_DST)),
                (int) event.getLong(OvsFields.TP_SRC), (int) event.getLong(OvsFields.TP_DST));
    }

    private static String mac(byte[] bytes) {
        StringBuilder text = new StringBuilder(17);
        for (int i = 0; i < bytes.length; i++) {
            text.append(i == 0 ? "" : ":").append(Character.forDigit((bytes[i] >> 4) & 0xF, 16))
                    .append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return text.toString();
    }

    private static String ipv4(byte[] bytes) {
        return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
    }

    /** Adds what another part of the same trace found. */
    public void merge(DatapathAnalysis other) {
        for (State theirs : other.datapaths) {
            State mine = null;
            for (State candidate : datapaths) {
                if (candidate.name.equals(theirs.name)) {
                    mine = candidate;
                }
            }
            if (mine == null) {
                mine = new State(theirs.name);
                datapathNames.add(theirs.name.getBytes(StandardCharsets.UTF_8));
                datapaths.add(mine);
            }
            mine.add(theirs);
        }
    }

    /**
     * The datapaths, with each port's drops counted from the drop list (drops of reason
     * {@link OvsFields#NO_OUTPUT_REASON} on the port's device) and the bridge and internal ports named from the
     * topology (a bridge's local port carries the bridge's name).
     */
    public List<Datapath> report(List<DropReport> drops, Topology topology) {
        Set<String> bridges = new HashSet<>();
        topology.bridges().forEach(bridge -> bridges.add(bridge.name()));
        List<Datapath> result = new ArrayList<>();
        for (State state : datapaths) {
            List<Datapath.Port> ports = new ArrayList<>();
            String bridge = null;
            long dropTotal = 0;
            for (int number = 0; number < state.portNames.length; number++) {
                String name = state.portNames[number];
                if (name == null && state.outputs[number] == 0 && state.upcallsByPort[number] == 0) {
                    continue;
                }
                boolean isBridge = name != null && bridges.contains(name);
                if (isBridge && bridge == null) {
                    bridge = name;
                }
                long portDrops = name == null ? 0 : dropsAt(drops, name);
                dropTotal += portDrops;
                ports.add(new Datapath.Port(number, name, isBridge || state.name.equals(name), state.outputs[number],
                        state.upcallsByPort[number], time(state.firstUpcall[number]),
                        time(state.lastUpcall[number]), portDrops));
            }
            List<Datapath.Upcall> upcalls = new ArrayList<>();
            for (Datapath.Upcall upcall : state.upcallList) {
                upcalls.add(new Datapath.Upcall(upcall.timeNs(), upcall.inPort(), state.name(upcall.inPort()),
                        upcall.cmd(), upcall.key()));
            }
            List<Datapath.Flow> flows = new ArrayList<>();
            for (FlowAccumulator flow : state.flows) {
                if (flow.packets > 0) {
                    flows.add(new Datapath.Flow(flow.inPort, state.name(flow.inPort), flow.key, flow.packets,
                            flow.bytes, flow.outputs.stream().boxed().toList(), flow.firstNs, flow.lastNs));
                }
            }
            flows.sort(Comparator.comparingLong(Datapath.Flow::packets).reversed()
                    .thenComparingLong(Datapath.Flow::firstNs));
            result.add(new Datapath(state.name, bridge, ports, state.upcalls, upcalls, state.executedPackets,
                    state.outputActions, dropTotal, flows));
        }
        return result;
    }

    private static long dropsAt(List<DropReport> drops, String port) {
        long count = 0;
        for (DropReport drop : drops) {
            if (OvsFields.NO_OUTPUT_REASON.equals(drop.reason()) && drop.iface() != null
                    && (drop.iface().equals(port) || drop.iface().startsWith(port + "<->"))) {
                count += drop.packets();
            }
        }
        return count;
    }

    private static Long time(long ns) {
        return ns == 0 ? null : ns;
    }

    private static final class FlowAccumulator {
        final long hash;
        final int inPort;
        final Datapath.FlowKey key;
        final BitSet outputs = new BitSet();
        long packets;
        long bytes;
        long firstNs;
        long lastNs;

        FlowAccumulator(long hash, int inPort, Datapath.FlowKey key) {
            this.hash = hash;
            this.inPort = inPort;
            this.key = key;
        }

        void add(FlowAccumulator other) {
            outputs.or(other.outputs);
            if (other.packets > 0) {
                firstNs = packets == 0 ? other.firstNs : Math.min(firstNs, other.firstNs);
                lastNs = Math.max(lastNs, other.lastNs);
            }
            packets += other.packets;
            bytes += other.bytes;
        }
    }

    /** One datapath's counters; arrays indexed by datapath port number. */
    private final class State {
        final String name;
        String[] portNames = new String[0];
        long[] outputs = new long[0];
        long[] upcallsByPort = new long[0];
        long[] firstUpcall = new long[0];
        long[] lastUpcall = new long[0];
        long upcalls;
        long executedPackets;
        long outputActions;
        final List<Datapath.Upcall> upcallList = new ArrayList<>();
        final List<FlowAccumulator> flows = new ArrayList<>();
        /** Open addressing from a flow key hash to its index in {@link #flows} + 1 (0: empty). */
        long[] flowHashes = new long[64];
        int[] flowSlots = new int[64];
        FlowAccumulator lastFlow;

        State(String name) {
            this.name = name;
        }

        String name(int port) {
            return port < portNames.length ? portNames[port] : null;
        }

        /** The event's in_port, its device learned the first time a port shows up. */
        int port(Event event) {
            int port = (int) event.getLong(OvsFields.IN_PORT);
            ensure(port);
            if (portNames[port] == null) {
                portNames[port] = event.getString(OvsFields.DEV_NAME);
            }
            return port;
        }

        void ensure(int port) {
            if (port >= portNames.length) {
                int size = Math.max(port + 1, portNames.length * 2);
                portNames = Arrays.copyOf(portNames, size);
                outputs = Arrays.copyOf(outputs, size);
                upcallsByPort = Arrays.copyOf(upcallsByPort, size);
                firstUpcall = Arrays.copyOf(firstUpcall, size);
                lastUpcall = Arrays.copyOf(lastUpcall, size);
            }
        }

        FlowAccumulator flow(long hash, int inPort, Event event) {
            if (lastFlow != null && lastFlow.hash == hash) {
                return lastFlow; // the actions of one packet, and packets of one burst, come in a row
            }
            FlowAccumulator flow = find(hash);
            if (flow == null) {
                flow = insert(new FlowAccumulator(hash, inPort, key(event)));
            }
            lastFlow = flow;
            return flow;
        }

        private FlowAccumulator find(long hash) {
            int mask = flowHashes.length - 1;
            for (int slot = (int) hash & mask; flowSlots[slot] != 0; slot = (slot + 1) & mask) {
                if (flowHashes[slot] == hash) {
                    return flows.get(flowSlots[slot] - 1);
                }
            }
            return null;
        }

        private FlowAccumulator insert(FlowAccumulator flow) {
            flows.add(flow);
            if (flows.size() * 2 > flowHashes.length) {
                flowHashes = new long[flowHashes.length * 2];
                flowSlots = new int[flowSlots.length * 2];
                for (int i = 0; i < flows.size(); i++) {
                    place(flows.get(i).hash, i + 1);
                }
            } else {
                place(flow.hash, flows.size());
            }
            return flow;
        }

        private void place(long hash, int index) {
            int mask = flowHashes.length - 1;
            int slot = (int) hash & mask;
            while (flowSlots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            flowHashes[slot] = hash;
            flowSlots[slot] = index;
        }

        void add(State other) {
            ensure(other.portNames.length - 1);
            for (int port = 0; port < other.portNames.length; port++) {
                if (portNames[port] == null) {
                    portNames[port] = other.portNames[port];
                }
                outputs[port] += other.outputs[port];
                upcallsByPort[port] += other.upcallsByPort[port];
                if (other.firstUpcall[port] != 0) {
                    firstUpcall[port] = firstUpcall[port] == 0 ? other.firstUpcall[port]
                            : Math.min(firstUpcall[port], other.firstUpcall[port]);
                }
                lastUpcall[port] = Math.max(lastUpcall[port], other.lastUpcall[port]);
            }
            upcalls += other.upcalls;
            executedPackets += other.executedPackets;
            outputActions += other.outputActions;
            upcallList.addAll(other.upcallList);
            upcallList.sort(Comparator.comparingLong(Datapath.Upcall::timeNs));
            if (upcallList.size() > MAX_LISTED_UPCALLS) {
                upcallList.subList(MAX_LISTED_UPCALLS, upcallList.size()).clear();
            }
            for (FlowAccumulator theirs : other.flows) {
                FlowAccumulator mine = find(theirs.hash);
                if (mine == null) {
                    mine = insert(new FlowAccumulator(theirs.hash, theirs.inPort, theirs.key));
                }
                mine.add(theirs);
            }
            lastFlow = null;
        }
    }
}
