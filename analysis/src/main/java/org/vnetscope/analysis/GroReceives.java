package org.vnetscope.analysis;

import org.vnetscope.ctf.StreamFile;

/**
 * Packets a NAPI driver handed to GRO, which GRO merged into another packet before the stack saw them.
 *
 * <p>A NIC driver counts each packet as it takes it off its ring, before {@code napi_gro_receive} (virtio-net's
 * {@code virtnet_receive}, e1000's {@code e1000_clean_rx_irq}); GRO then merges the segments of a TCP flow into one
 * skb, and {@code net_if_receive_skb} fires once for the merged skb. The trace shows every packet the driver handed
 * over ({@code net_napi_gro_receive_entry}, {@code net_napi_gro_frags_entry}, on the CPU of the NAPI poll) and what
 * GRO made of it ({@code ..._exit}: {@code GRO_MERGED} or {@code GRO_MERGED_FREE} when it went into another skb).
 * Before Linux's tracepoints carried names (lttng-modules 2.13 records only the skb address at entry), the device of
 * a merged packet is the device of the NAPI poll that merged it: every packet out of GRO in that poll is that
 * device's, and {@code napi_poll} ends the poll (Linux's {@code __napi_poll} fires it once the driver's poll
 * returned, after {@code napi_complete_done} flushed GRO). Its bytes are the headers its merging saved: those of the
 * data segments that poll delivered, since GRO merges only segments with the same headers.
 *
 * <p>The next delivery on the CPU is not always the poll's: a segment that completes the skb it joins (a TCP PSH)
 * has that skb delivered before its own {@code ..._exit} fires, and another device's poll (a VXLAN device's GRO
 * cell, fed by the NIC's deliveries) may deliver next. So, once the trace showed a {@code napi_poll}, merged packets
 * wait for the end of their poll; before (a trace without the event) they go to the next delivery on their CPU.
 *
 * <p>Per stream (CPU) state; packets merged but not yet counted when a part of the trace ends are handed to the
 * device of the poll under way, or else to the device that last delivered on that CPU.
 */
final class GroReceives {

    /** GRO's verdicts on a packet (enum gro_result, Linux 5.12 and later): merged into a packet it holds. */
    private static final long GRO_MERGED = 0;
    private static final long GRO_MERGED_FREE = 1;
    private static final int ENTERED_KEPT = 64;

    private static final class Cpu {
        long entrySkb;
        boolean entryOpen;
        /** Packets merged here and not counted yet. */
        long merged;
        /** Skb addresses that entered GRO on this CPU and are not delivered yet (a ring: GRO holds few). */
        final long[] entered = new long[ENTERED_KEPT];
        int next;
        /** The poll under way: the device its packets out of GRO name, and the headers of a packet merged there. */
        InterfaceId pollDevice;
        long pollHeaderBytes;
        boolean pollHeadersOfData;
        InterfaceId lastDevice;
        long lastHeaderBytes;
        boolean lastHeadersOfData;
        long lastNs;
    }

    private final PerStream<Cpu> cpus = new PerStream<>(Cpu::new);
    private boolean seen;
    private boolean pollsSeen;

    /** Whether any packet entered GRO in the trace so far. */
    boolean seen() {
        return seen;
    }

    void entered(StreamFile stream, long skb) {
        seen = true;
        Cpu cpu = cpus.of(stream);
        cpu.entrySkb = skb;
        cpu.entryOpen = true;
        cpu.entered[cpu.next] = skb;
        cpu.next = (cpu.next + 1) % ENTERED_KEPT;
    }

    void exited(StreamFile stream, long result) {
        Cpu cpu = cpus.of(stream);
        if (!cpu.entryOpen) {
            return;
        }
        cpu.entryOpen = false;
        if (result == GRO_MERGED || result == GRO_MERGED_FREE) {
            cpu.merged++;
            forget(cpu, cpu.entrySkb);
        }
    }

    /** Whether a packet the stack received on this CPU came out of GRO (then {@link #takeMerged} follows). */
    boolean cameOut(StreamFile stream, long skb) {
        return forget(cpus.of(stream), skb);
    }

    /**
     * A packet came out of GRO on this CPU ({@link #cameOut}) on {@code device}, with {@code headerBytes} of
     * headers; {@code dataSegment} when it is a TCP segment with payload, what GRO merges. Returns the merged
     * packets to count now on that device, each with {@code headerBytes}: those merged on this CPU since the last
     * delivery while the trace has shown no {@code napi_poll}, else none ({@link #polled} counts them).
     */
    long takeMerged(StreamFile stream, InterfaceId device, long headerBytes, boolean dataSegment, long timeNs) {
        Cpu cpu = cpus.of(stream);
        if (dataSegment || !cpu.pollHeadersOfData) {
            cpu.pollHeaderBytes = headerBytes;
            cpu.pollHeadersOfData = dataSegment;
        }
        cpu.pollDevice = device;
        if (dataSegment || !cpu.lastHeadersOfData || cpu.lastDevice != device) {
            cpu.lastHeaderBytes = headerBytes;
            cpu.lastHeadersOfData = dataSegment;
        }
        cpu.lastDevice = device;
        cpu.lastNs = timeNs;
        if (pollsSeen) {
            return 0;
        }
        long merged = cpu.merged;
        cpu.merged = 0;
        return merged;
    }

    /**
     * A NAPI poll ended on this CPU ({@code napi_poll}): the packets merged during it go to its device, the one its
     * packets out of GRO named, else {@code polledDevice} (the name the event gives, null when none), else the last
     * device that delivered on the CPU.
     */
    void polled(StreamFile stream, InterfaceId polledDevice, long timeNs, Drain into) {
        pollsSeen = true;
        Cpu cpu = cpus.of(stream);
        if (cpu.merged > 0) {
            if (cpu.pollDevice != null) {
                into.merged(cpu.pollDevice, cpu.merged, cpu.pollHeaderBytes, timeNs);
                cpu.merged = 0;
            } else if (polledDevice != null || cpu.lastDevice != null) {
                // the poll delivered nothing (its budget ran out): the headers its device's packets had before
                InterfaceId device = polledDevice != null ? polledDevice : cpu.lastDevice;
                into.merged(device, cpu.merged, cpu.lastHeaderBytes, timeNs);
                cpu.merged = 0;
            }
        }
        cpu.pollDevice = null;
        cpu.pollHeadersOfData = false;
    }

    /** What is left merged and uncounted on each CPU, for the device of the poll under way or the last one. */
    void drain(Drain into) {
        for (Cpu cpu : cpus.all()) {
            if (cpu.merged > 0 && cpu.pollDevice != null) {
                into.merged(cpu.pollDevice, cpu.merged, cpu.pollHeaderBytes, cpu.lastNs);
            } else if (cpu.merged > 0 && cpu.lastDevice != null) {
                into.merged(cpu.lastDevice, cpu.merged, cpu.lastHeaderBytes, cpu.lastNs);
            }
            cpu.merged = 0;
        }
    }

    /** Receives the merged packets {@link #polled} and {@link #drain} count. */
    interface Drain {
        void merged(InterfaceId device, long packets, long headerBytes, long timeNs);
    }

    private static boolean forget(Cpu cpu, long skb) {
        for (int i = 0; i < ENTERED_KEPT; i++) {
            if (cpu.entered[i] == skb && skb != 0) {
                cpu.entered[i] = 0;
                return true;
            }
        }
        return false;
    }
}
