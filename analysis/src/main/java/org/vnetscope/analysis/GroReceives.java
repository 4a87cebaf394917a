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
 * a merged packet is the device of the next packet out of GRO on that CPU, which is the NAPI instance being
 * polled, and its bytes are the headers its merging saved: the link, IP and TCP headers of that packet, since GRO
 * merges only segments with the same headers.
 *
 * <p>Per stream (CPU) state; packets merged but not yet delivered when a part of the trace ends are handed to the
 * device that last delivered on that CPU.
 */
final class GroReceives {

    /** GRO's verdicts on a packet (enum gro_result, Linux 5.12 and later): merged into a packet it holds. */
    private static final long GRO_MERGED = 0;
    private static final long GRO_MERGED_FREE = 1;
    private static final int ENTERED_KEPT = 64;

    private static final class Cpu {
        long entrySkb;
        boolean entryOpen;
        /** Packets merged since a packet entered GRO here was last delivered. */
        long merged;
        /** Skb addresses that entered GRO on this CPU and are not delivered yet (a ring: GRO holds few). */
        final long[] entered = new long[ENTERED_KEPT];
        int next;
        InterfaceId lastDevice;
        long lastHeaderBytes;
        long lastNs;
    }

    private final PerStream<Cpu> cpus = new PerStream<>(Cpu::new);
    private boolean seen;

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
     * The packets merged on this CPU since a packet came out of GRO there, to be counted on the device of the one
     * that just did ({@link #cameOut}), each with {@code headerBytes}.
     */
    long takeMerged(StreamFile stream, InterfaceId device, long headerBytes, long timeNs) {
        Cpu cpu = cpus.of(stream);
        cpu.lastDevice = device;
        cpu.lastHeaderBytes = headerBytes;
        cpu.lastNs = timeNs;
        long merged = cpu.merged;
        cpu.merged = 0;
        return merged;
    }

    /** What is left merged and undelivered on each CPU, for the device that last delivered there. */
    void drain(Drain into) {
        for (Cpu cpu : cpus.all()) {
            if (cpu.merged > 0 && cpu.lastDevice != null) {
                into.merged(cpu.lastDevice, cpu.merged, cpu.lastHeaderBytes, cpu.lastNs);
            }
            cpu.merged = 0;
        }
    }

    /** Receives what {@link #drain} hands on. */
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
