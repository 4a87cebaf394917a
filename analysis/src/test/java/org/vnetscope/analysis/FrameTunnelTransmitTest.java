package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tunnel that wraps Ethernet frames in IP packets (VXLAN) counts each frame it sends as {@code iptunnel_xmit}
 * does, {@code skb->len - skb_inner_network_offset(skb)}: the inner IP packet, without the frame's 14-byte Ethernet
 * header, which its xmit event still counts. Other devices count the frame whole.
 */
class FrameTunnelTransmitTest {

    @Test
    void aFrameTunnelCountsTheInnerIpPacketOfEachFrameItSends() {
        InterfaceIdentities identities = new InterfaceIdentities();
        InterfaceId tunnel = identities.id("vxlan100", null);
        InterfaceId port = identities.id("vnet0", null);
        identities.frameTunnel(tunnel);
        InterfaceTraffic traffic = new InterfaceTraffic(AnalysisOptions.DEFAULT_BIN_NS);
        // an ICMP echo of 84 bytes and a TCP super-packet of 2,948 bytes, in frames of 98 and 2,962 bytes
        for (InterfaceId device : List.of(tunnel, port)) {
            traffic.transmitted(1_000, device, 98);
            traffic.transmitted(2_000, device, 2_962);
        }
        List<InterfaceReport> rows = traffic.report(identities);
        InterfaceReport tunnelRow = rows.stream().filter(r -> r.name().equals("vxlan100")).findFirst().orElseThrow();
        InterfaceReport portRow = rows.stream().filter(r -> r.name().equals("vnet0")).findFirst().orElseThrow();
        assertThat(tunnelRow.tx()).isEqualTo(new TrafficCounts(2, 84 + 2_948, 98 + 2_962));
        assertThat(tunnelRow.timeline()).extracting(TimelineBin::txBytes).containsExactly(84L + 2_948);
        assertThat(portRow.tx()).isEqualTo(new TrafficCounts(2, 98 + 2_962, 98 + 2_962));
    }
}
