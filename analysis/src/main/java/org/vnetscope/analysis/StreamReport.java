package org.vnetscope.analysis;

import java.io.Serializable;

/**
 * One conversation, from the network headers; A is the endpoint that sent the first packet seen. Each packet
 * counts once however many devices it crossed.
 *
 * @param protocol            tcp, udp or icmp
 * @param a                   endpoint A, {@code address:port} (address alone for ICMP)
 * @param b                   endpoint B
 * @param packetsAb           packets from A to B
 * @param bytesAb             their IP bytes (IP header included, no Ethernet header)
 * @param packetsBa           packets from B to A
 * @param bytesBa             their IP bytes
 * @param payloadAb           transport payload from A to B, after the UDP/TCP/ICMP header; for TCP only new data
 *                            (sequence space not seen before), so retransmissions do not count twice
 * @param payloadBa           transport payload from B to A
 * @param retransmittedPackets TCP data packets whose bytes had all been seen before, both directions
 * @param retransmittedBytes  their payload
 * @param startNs             first packet
 * @param endNs               last packet
 * @param bitsPerSecondAb     IP bits from A to B over the duration (0 for a single instant)
 * @param bitsPerSecondBa     IP bits from B to A over the duration
 * @param retransmittedSegments TCP retransmissions in MSS-sized segments (a retransmitted super-packet counts its
 *                            segments), the unit of the sender's own counter ({@code ss -i}, iperf3)
 * @param closed              how a TCP stream ended in the trace: {@code fin} (both sides), {@code fin_a} or
 *                            {@code fin_b} (one side), {@code rst_a} or {@code rst_b} (reset by that side), null
 *                            when still open or not TCP. A reset or a one-sided close can leave data the sender
 *                            wrote to its socket untransmitted, so absent from the trace
 */
public record StreamReport(String protocol, String a, String b, long packetsAb, long bytesAb, long packetsBa,
                           long bytesBa, long payloadAb, long payloadBa, long retransmittedPackets,
                           long retransmittedBytes, long startNs, long endNs, double bitsPerSecondAb,
                           double bitsPerSecondBa, long retransmittedSegments, String closed) implements Serializable {

    public long durationNs() {
        return endNs - startNs;
    }
}
