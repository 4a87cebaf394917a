package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Frames a bridge counted as received and then freed before any receive event names it.
 *
 * <p>Linux (net/bridge/br_input.c, 6.1) hands a frame for the host up to the bridge device in
 * {@code br_pass_frame_up}, which adds it to the bridge's rx counters ({@code dev_sw_netstats_rx_add(brdev,
 * skb->len)}) first, and only then may free it: the bridge device is not a member of the frame's VLAN
 * ({@code br_allowed_egress}), {@code br_handle_vlan} finds no entry, or a netfilter hook at bridge LOCAL_IN drops it
 * (that last case is left on the port, see {@link #plainFree}).
 * {@code net_if_receive_skb} never fires on the bridge for such a frame, but {@code ip -s link} counts it.
 *
 * <p>The trace shows such a frame as received on a bridge port and freed there. What tells it from a frame the port's
 * ingress filter dropped (never counted by the bridge) is where it was freed: after a broadcast or unknown
 * destination was flooded, the bridge has queued a clone of it on another port of the same bridge before the
 * original reaches {@code br_pass_frame_up}, while an ingress drop frees it before anything is sent. A free at the
 * code address of such a confirmed drop is the same kind of drop (one code site frees them all), and so is a free
 * that the kernel's symbols ({@code --kallsyms}) place in {@code br_pass_frame_up}.
 *
 * <p>The bridge above each port is known only once the whole trace was read (topology), so the frames are kept as
 * candidates, each dropped on its port until then, and settled at the end: a state that merges by concatenation.
 */
final class BridgeInputDrops {

    /** A frame received on {@code port} and freed there; {@code cloneDevice} a device a same-sized frame was queued on since. */
    record Candidate(long timeNs, InterfaceId port, long len, String reason, long location, int ethertype,
            String cloneDevice) {
    }

    private final List<Candidate> candidates = new ArrayList<>();

    void add(Candidate candidate) {
        candidates.add(candidate);
    }

    void merge(BridgeInputDrops other) {
        candidates.addAll(other.candidates);
        other.candidates.clear();
    }

    /**
     * Hands every candidate to the observers: a receive and a drop on its port's bridge where it was a drop after
     * the bridge counted it, else a drop on the port, as any other free.
     *
     * @param bridgeOfPort the bridge a port name belonged to at a time, or null
     * @param bridgeId     the interface id of a bridge name
     * @param symbol       the kernel symbol of a code address, or null when unknown
     */
    void settle(java.util.function.BiFunction<String, Long, String> bridgeOfPort,
            Function<String, InterfaceId> bridgeId,
            Function<Long, String> symbol, PacketObserver... observers) {
        Set<Long> passUpSites = new HashSet<>();
        for (Candidate c : candidates) {
            String bridge = bridgeOfPort.apply(c.port().name(), c.timeNs());
            if (bridge != null && c.location() != 0 && c.cloneDevice() != null && plainFree(c.reason())
                    && bridge.equals(bridgeOfPort.apply(c.cloneDevice(), c.timeNs()))) {
                passUpSites.add(c.location());
            }
        }
        Map<Long, Boolean> bySymbol = new HashMap<>();
        for (Candidate c : candidates) {
            String bridge = bridgeOfPort.apply(c.port().name(), c.timeNs());
            boolean passedUp = bridge != null && c.location() != 0 && plainFree(c.reason())
                    && (passUpSites.contains(c.location())
                    || bySymbol.computeIfAbsent(c.location(), address -> isPassUpCode(symbol.apply(address))));
            if (passedUp) {
                InterfaceId id = bridgeId.apply(bridge);
                for (PacketObserver observer : observers) {
                    observer.received(c.timeNs(), id, c.len());
                    observer.dropped(c.timeNs(), id, c.reason(), c.location(), c.ethertype());
                }
            } else {
                for (PacketObserver observer : observers) {
                    observer.dropped(c.timeNs(), c.port(), c.reason(), c.location(), c.ethertype());
                }
            }
        }
        candidates.clear();
    }

    /**
     * The frees of {@code br_pass_frame_up} and {@code br_handle_vlan} are plain {@code kfree_skb} calls: no reason,
     * or {@code NOT_SPECIFIED} where the kernel gives reasons. A netfilter drop ({@code NETFILTER_DROP}) is left on
     * the port even after a flood: the bridge FORWARD hook drops the original frame handed to the last port
     * uncounted, at the same code address as a LOCAL_IN drop after counting, so the two cannot be told apart.
     */
    private static boolean plainFree(String reason) {
        return reason == null || reason.equals("NOT_SPECIFIED");
    }

    private static boolean isPassUpCode(String symbol) {
        // "br_pass_frame_up+0x..." in the kernel image, "br_pass_frame_up [bridge]+0x..." in the module
        return symbol != null && (symbol.startsWith("br_pass_frame_up+") || symbol.startsWith("br_pass_frame_up "));
    }
}
