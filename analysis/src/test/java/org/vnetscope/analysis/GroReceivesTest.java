package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bookkeeping of packets GRO merged, per CPU, as a NAPI poll shows them (entry, exit, delivery, poll end). */
class GroReceivesTest {

    private static final long MERGED = 0;
    private static final long MERGED_FREE = 1;
    private static final long HELD = 2;
    private static final long NORMAL = 3;
    /** The headers of a TCP segment with timestamps (IP 20, TCP 32), and of one in VXLAN (outer IP, UDP, VXLAN,
     *  inner Ethernet before them). */
    private static final long TCP_HEADERS = 52;
    private static final long VXLAN_TCP_HEADERS = 20 + 8 + 8 + 14 + TCP_HEADERS;

    private final InterfaceId nic = new InterfaceId("eth1", null, 0);
    private final InterfaceId tunnel = new InterfaceId("vxlan100", null, 0);

    @Test
    void withoutPollEventsMergedPacketsGoToTheDeviceThatDeliversNextOnTheirCpu() {
        GroReceives gro = new GroReceives();
        assertThat(gro.seen()).isFalse();
        // one TCP flow: the first segment is held, three more merge into it, then it is delivered
        gro.entered(null, 0xA0);
        gro.exited(null, HELD);
        for (long skb : new long[] {0xB0, 0xB1, 0xB2}) {
            gro.entered(null, skb);
            gro.exited(null, skb == 0xB1 ? MERGED : MERGED_FREE);
        }
        assertThat(gro.seen()).isTrue();
        // a packet that never entered GRO (another device's, or a later stage) takes nothing
        assertThat(gro.cameOut(null, 0xC0)).isFalse();
        assertThat(gro.cameOut(null, 0xB0)).as("a merged skb is no delivery").isFalse();
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        assertThat(gro.takeMerged(null, nic, TCP_HEADERS, true, 10)).isEqualTo(3);
        // a packet GRO passed on unmerged
        gro.entered(null, 0xD0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xD0)).isTrue();
        assertThat(gro.takeMerged(null, nic, TCP_HEADERS, true, 20)).isZero();
    }

    @Test
    void whatIsLeftMergedWhenAPartEndsGoesToTheLastDeviceOfItsCpu() {
        GroReceives gro = new GroReceives();
        gro.entered(null, 0xA0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        assertThat(gro.takeMerged(null, nic, 40, true, 5)).isZero();
        gro.entered(null, 0xA1);
        gro.exited(null, HELD);
        gro.entered(null, 0xA2);
        gro.exited(null, MERGED_FREE);
        assertThat(drained(gro)).containsExactly("eth1 1 40 5");
    }

    /**
     * As on samples/lab5 mh-vxlan hostb: a segment with PSH merges into the skb GRO holds, which GRO then completes
     * at once, so that skb comes out (on the NIC) before the segment's own exit event. The NIC's poll ends, and the
     * VXLAN device's GRO cell delivers the decapsulated skb next on the same CPU: the merged segment is still the
     * NIC's, which counted it off its ring, with the headers of the tunnelled segments.
     */
    @Test
    void aSegmentMergedIntoAnSkbThatLeavesAtOnceCountsOnThePollThatMergedIt() {
        GroReceives gro = new GroReceives();
        List<String> counted = new ArrayList<>();
        gro.polled(null, null, 1, (device, packets, headerBytes, timeNs) -> counted.add("early poll"));
        gro.entered(null, 0xA0);
        gro.exited(null, HELD);
        gro.entered(null, 0xB0);
        // inside napi_gro_receive of 0xB0: the held skb, with 0xB0 in it, is delivered
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        assertThat(gro.takeMerged(null, nic, VXLAN_TCP_HEADERS, true, 10)).as("counted when the poll ends").isZero();
        gro.exited(null, MERGED_FREE);
        gro.polled(null, nic, 20, (device, packets, headerBytes, timeNs) ->
                counted.add(device.name() + " " + packets + " " + headerBytes + " " + timeNs));
        // the tunnel's GRO cell: the same skb enters GRO again and comes out on the tunnel
        gro.entered(null, 0xA0);
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        gro.exited(null, NORMAL);
        assertThat(gro.takeMerged(null, tunnel, TCP_HEADERS, true, 30)).isZero();
        gro.polled(null, tunnel, 40, (device, packets, headerBytes, timeNs) -> counted.add("tunnel " + packets));
        assertThat(counted).containsExactly("eth1 1 " + VXLAN_TCP_HEADERS + " 20");
        assertThat(drained(gro)).isEmpty();
    }

    /**
     * As on samples/lab5 mh-uplink hostb: the poll that merged a data segment also delivered it, and the next packet
     * out of GRO on that CPU, in a later poll, is an ARP frame without IP header. The merged segment keeps the
     * headers of the data its poll delivered, whatever came last.
     */
    @Test
    void aMergedSegmentHasTheHeadersOfTheDataItsPollDelivered() {
        GroReceives gro = new GroReceives();
        gro.polled(null, null, 1, (device, packets, headerBytes, timeNs) -> { });
        gro.entered(null, 0xA0);
        gro.exited(null, HELD);
        gro.entered(null, 0xB0);
        gro.exited(null, MERGED_FREE);
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        gro.takeMerged(null, nic, TCP_HEADERS, true, 10);
        // an acknowledgment delivered in the same poll: no data, not what GRO merged
        gro.entered(null, 0xC0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xC0)).isTrue();
        gro.takeMerged(null, nic, 20 + 20, false, 11);
        List<String> counted = new ArrayList<>();
        gro.polled(null, nic, 12, (device, packets, headerBytes, timeNs) ->
                counted.add(device.name() + " " + packets + " " + headerBytes));
        gro.entered(null, 0xD0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xD0)).isTrue();
        gro.takeMerged(null, nic, 0, false, 20);
        gro.polled(null, nic, 21, (device, packets, headerBytes, timeNs) -> counted.add("arp poll " + packets));
        assertThat(counted).containsExactly("eth1 1 " + TCP_HEADERS);
    }

    /**
     * A poll that used its whole budget delivers what GRO holds only after its napi_poll event (napi_poll flushes
     * after __napi_poll): what it merged goes to the device the event names, with that CPU's data headers.
     */
    @Test
    void aPollThatDeliveredNothingCountsOnTheDeviceItsEventNames() {
        GroReceives gro = new GroReceives();
        List<String> counted = new ArrayList<>();
        gro.polled(null, null, 1, (device, packets, headerBytes, timeNs) -> { });
        gro.entered(null, 0xA0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        gro.takeMerged(null, tunnel, TCP_HEADERS, true, 5);
        gro.polled(null, tunnel, 6, (device, packets, headerBytes, timeNs) -> counted.add("tunnel " + packets));
        gro.entered(null, 0xB0);
        gro.exited(null, HELD);
        gro.entered(null, 0xB1);
        gro.exited(null, MERGED);
        gro.polled(null, nic, 10, (device, packets, headerBytes, timeNs) ->
                counted.add(device.name() + " " + packets + " " + headerBytes));
        assertThat(counted).containsExactly("eth1 1 " + TCP_HEADERS);
    }

    private static List<String> drained(GroReceives gro) {
        List<String> drained = new ArrayList<>();
        gro.drain((device, packets, headerBytes, timeNs) -> drained.add(device.name() + " " + packets + " "
                + headerBytes + " " + timeNs));
        return drained;
    }
}
