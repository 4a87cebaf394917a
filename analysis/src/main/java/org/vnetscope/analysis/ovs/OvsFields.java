package org.vnetscope.analysis.ovs;

import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;

/**
 * Event names and fields of the Open vSwitch kernel datapath probe ({@code ovs_dp_upcall} when a packet misses
 * the kernel flow table and goes to user space, {@code ovs_do_execute_action} for each action the datapath runs
 * on a packet), and the flow key they carry. Port numbers are datapath port numbers (as {@code ovs-dpctl show}
 * lists them), not OpenFlow port numbers.
 */
public final class OvsFields {
    private OvsFields() {
    }

    public static final String UPCALL = "ovs_dp_upcall";
    public static final String EXECUTE_ACTION = "ovs_do_execute_action";

    /** Why a packet the datapath took in got no output: a flow without output action (e.g. an OpenFlow drop). */
    public static final String NO_OUTPUT_REASON = "ovs: no output action";

    public static final FieldKey SKBADDR = FieldKey.of("skbaddr");
    public static final FieldKey LEN = FieldKey.of("len");
    public static final FieldKey DP_NAME = FieldKey.of("dp_name");
    /** The device the packet came in through (its in_port), for upcalls and actions alike. */
    public static final FieldKey DEV_NAME = FieldKey.of("dev_name");
    public static final FieldKey UPCALL_CMD = FieldKey.of("upcall_cmd");
    public static final FieldKey ACTION_TYPE = FieldKey.of("action_type");
    /** 1 on the packet's last action: one per packet the datapath executed. */
    public static final FieldKey IS_LAST = FieldKey.of("is_last");
    public static final FieldKey OUTPUT_PORT = FieldKey.of("action_output_port");
    public static final FieldKey IN_PORT = FieldKey.of("key_in_port");
    public static final FieldKey ETH_TYPE = FieldKey.of("key_eth_type");
    public static final FieldKey ETH_SRC = FieldKey.of("key_eth_src");
    public static final FieldKey ETH_DST = FieldKey.of("key_eth_dst");
    /** For ARP the kernel reuses it for the low byte of the opcode. */
    public static final FieldKey IP_PROTO = FieldKey.of("key_ip_proto");
    /** For ARP: the sender and target protocol addresses. */
    public static final FieldKey IPV4_SRC = FieldKey.of("key_ipv4_src");
    public static final FieldKey IPV4_DST = FieldKey.of("key_ipv4_dst");
    public static final FieldKey TP_SRC = FieldKey.of("key_tp_src");
    public static final FieldKey TP_DST = FieldKey.of("key_tp_dst");

    /** {@code OVS_ACTION_ATTR_OUTPUT}. */
    public static final int ACTION_OUTPUT = 1;

    /**
     * The event's flow key (in_port, Ethernet, IPv4 and transport fields) folded into 64 bits, read through
     * {@code scratch} (6 bytes or more) without allocating: equal keys give equal values.
     */
    public static long flowKeyHash(Event event, byte[] scratch) {
        long h = mix(event.getLong(IN_PORT));
        h = mix(h ^ event.getLong(ETH_TYPE));
        h = mix(h ^ bytes(event, ETH_SRC, scratch));
        h = mix(h ^ bytes(event, ETH_DST, scratch));
        h = mix(h ^ event.getLong(IP_PROTO));
        h = mix(h ^ bytes(event, IPV4_SRC, scratch) << 32 ^ bytes(event, IPV4_DST, scratch));
        return mix(h ^ event.getLong(TP_SRC) << 16 ^ event.getLong(TP_DST));
    }

    private static long bytes(Event event, FieldKey key, byte[] scratch) {
        int length = Math.min(event.copyBytes(key, scratch), scratch.length);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | (scratch[i] & 0xFF);
        }
        return value;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
