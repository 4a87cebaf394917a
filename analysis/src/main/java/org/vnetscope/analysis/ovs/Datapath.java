package org.vnetscope.analysis.ovs;

import java.io.Serializable;
import java.util.List;

/**
 * An Open vSwitch kernel datapath as its probe events show it.
 *
 * @param name             the datapath ({@code ovs-system} for every bridge of the system datapath)
 * @param bridge           the bridge of the topology among its ports (its internal port), or null
 * @param ports            the ports the events named, by datapath port number
 * @param upcalls          packets that missed the kernel flow table and went to user space
 * @param upcallList       the first {@link DatapathAnalysis#MAX_LISTED_UPCALLS} upcalls, in time order
 * @param executedPackets  packets the datapath ran actions on (from a port, or sent back by user space)
 * @param outputActions    OUTPUT actions over all ports
 * @param drops            packets the datapath took in that got no output action
 * @param flows            executed packets by flow key, most packets first
 */
public record Datapath(String name, String bridge, List<Port> ports, long upcalls, List<Upcall> upcallList,
                       long executedPackets, long outputActions, long drops, List<Flow> flows) implements Serializable {

    public Datapath {
        ports = List.copyOf(ports);
        upcallList = List.copyOf(upcallList);
        flows = List.copyOf(flows);
    }

    /**
     * A datapath port.
     *
     * @param number        the datapath port number
     * @param name          the device behind it, or null when no event named it
     * @param internal      an internal port (the datapath's own, or a bridge's local port): OUTPUT to it counts
     *                      as the device's rx_packets, while OUTPUT to a netdev port counts as its tx_packets
     * @param outputActions OUTPUT actions to this port
     * @param upcalls       upcalls of packets that came in through it
     * @param firstUpcallNs the first of them, or null
     * @param lastUpcallNs  the last of them, or null
     * @param drops         packets that came in through it and got no output action
     */
    public record Port(int number, String name, boolean internal, long outputActions, long upcalls,
                       Long firstUpcallNs, Long lastUpcallNs, long drops) implements Serializable {
    }

    /**
     * The flow key fields the probe records.
     *
     * @param ethSrc  source MAC
     * @param ethDst  destination MAC
     * @param ethType e.g. 0x0800 IPv4, 0x0806 ARP
     * @param ipProto the IP protocol (for ARP: the opcode's low byte)
     * @param ipv4Src IPv4 source (for ARP: sender address)
     * @param ipv4Dst IPv4 destination (for ARP: target address)
     * @param tpSrc   transport source port (ICMP: type)
     * @param tpDst   transport destination port (ICMP: code)
     */
    public record FlowKey(String ethSrc, String ethDst, int ethType, int ipProto, String ipv4Src, String ipv4Dst,
                          int tpSrc, int tpDst) implements Serializable {
    }

    /**
     * @param timeNs when the packet went to user space
     * @param inPort the datapath port it came in through
     * @param port   that port's device, or null
     * @param cmd    the upcall command (1: miss, 2: action)
     * @param key    its flow key
     */
    public record Upcall(long timeNs, int inPort, String port, int cmd, FlowKey key) implements Serializable {
    }

    /**
     * Packets with the same in_port and flow key that the datapath ran actions on.
     *
     * @param inPort      datapath port they came in through
     * @param port        its device, or null
     * @param key         the flow key
     * @param packets     how many
     * @param bytes       their length as the datapath saw them (Ethernet header included)
     * @param outputPorts the datapath ports they were output to, ascending
     * @param firstNs     the first one
     * @param lastNs      the last one
     */
    public record Flow(int inPort, String port, FlowKey key, long packets, long bytes, List<Integer> outputPorts,
                       long firstNs, long lastNs) implements Serializable {

        public Flow {
            outputPorts = List.copyOf(outputPorts);
        }
    }
}
