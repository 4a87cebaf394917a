package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.InterfaceId;
import org.vnetscope.analysis.paths.HopKind;
import org.vnetscope.analysis.paths.Journey;
import org.vnetscope.analysis.paths.Outcome;

/**
 * The journeys the boundary collector keeps for joining packets across hosts: a tunnel's two headers, which the
 * tracker follows as two journeys of one skb, are tied into one packet only where the change of headers is a
 * tunnel's (wrapped into a longer packet on the way out, unwrapped to a shorter one on the way in); another packet
 * at a reused address is not tied to the one before it.
 */
class BoundaryJourneysTest {

    private static final InterfaceId VM = new InterfaceId("eth0", "vnet0");
    private static final InterfaceId PORT = new InterfaceId("vnet0", "eth0");
    private static final InterfaceId TUNNEL = new InterfaceId("vxlan100", null);
    private static final InterfaceId NIC = new InterfaceId("phy0", null);
    private static final InterfaceId OTHER_NIC = new InterfaceId("eth1", null);

    @Test
    void aPacketWrappedByATunnelIsOneJourneyFromTheVmToTheNic() {
        BoundaryCollector collector = new BoundaryCollector();
        // queued by the VM, received by its port, queued on the tunnel; then, in a VXLAN packet 50 bytes longer, on
        // the NIC, whose transmit returns before the tunnel's
        collector.accept(new TestJourney(84, 0, 1).hop(VM, HopKind.QUEUE, 100).hop(PORT, HopKind.RX, 110)
                .hop(PORT, HopKind.RECEIVE, 120).hop(TUNNEL, HopKind.QUEUE, 130).end(130, Outcome.UNTERMINATED));
        collector.accept(new TestJourney(134, 1, 0).hop(NIC, HopKind.QUEUE, 150).hop(NIC, HopKind.XMIT, 160)
                .hop(TUNNEL, HopKind.XMIT, 170).end(200, Outcome.DELIVERED));
        BoundaryJourneys journeys = collector.result(List.of()).journeys();
        assertThat(journeys.size()).isEqualTo(2);
        assertThat(journeys.after(0)).isEqualTo(1);
        assertThat(journeys.before(1)).isZero();
        assertThat(journeys.pathHops(journeys.path(0))).containsExactly("eth0(vnet0)", "vnet0(eth0)", "vxlan100");
        assertThat(journeys.pathHops(journeys.path(1))).containsExactly("phy0", "vxlan100");
        // it left through the NIC: the tunnel's transmit after it is the return of a packet already gone
        assertThat(journeys.exitStep(1)).isZero();
        assertThat(journeys.leftNs(1)).isEqualTo(150);
        assertThat(journeys.stepNs(0, 0)).isEqualTo(100);
        assertThat(journeys.stepNs(0, 1)).isEqualTo(110);
        assertThat(journeys.stepNs(0, 2)).isEqualTo(130);
        assertThat(journeys.endNs(1)).isEqualTo(200);
        assertThat(journeys.payload(0)).isEqualTo(84 - 20 - 8);
    }

    @Test
    void aPacketUnwrappedByATunnelIsOneJourneyFromTheNicToTheVm() {
        BoundaryCollector collector = new BoundaryCollector();
        collector.accept(new TestJourney(134, 0, 5).hop(NIC, HopKind.RECEIVE, 100).end(100, Outcome.UNTERMINATED));
        collector.accept(new TestJourney(84, 5, 0).hop(TUNNEL, HopKind.RECEIVE, 120).hop(PORT, HopKind.QUEUE, 130)
                .hop(VM, HopKind.RX, 140).hop(VM, HopKind.RECEIVE, 150).end(190, Outcome.DROPPED));
        BoundaryJourneys journeys = collector.result(List.of()).journeys();
        assertThat(journeys.after(0)).isEqualTo(1);
        assertThat(journeys.outcome(1)).isEqualTo(Outcome.DROPPED);
        assertThat(journeys.dropReason(1)).isEqualTo("unknown");
        assertThat(journeys.exitStep(1)).isEqualTo(-1); // it never left the host
    }

    @Test
    void anotherPacketAtAReusedAddressIsNotTiedToTheOneBefore() {
        BoundaryCollector collector = new BoundaryCollector();
        // forwarded to a VM, its free unseen; the next packet at the address comes in on another NIC, shorter
        collector.accept(new TestJourney(1500, 0, 3).hop(NIC, HopKind.RECEIVE, 100).hop(PORT, HopKind.QUEUE, 110)
                .hop(PORT, HopKind.XMIT, 120).end(120, Outcome.UNTERMINATED));
        collector.accept(new TestJourney(60, 3, 0).hop(OTHER_NIC, HopKind.RECEIVE, 300).end(310, Outcome.DELIVERED));
        // queued on a device and never sent, then a shorter packet queued on another: no tunnel makes packets shorter
        collector.accept(new TestJourney(1500, 0, 4).hop(VM, HopKind.QUEUE, 400).end(400, Outcome.UNTERMINATED));
        collector.accept(new TestJourney(60, 4, 0).hop(NIC, HopKind.QUEUE, 500).end(510, Outcome.DELIVERED));
        BoundaryJourneys journeys = collector.result(List.of()).journeys();
        assertThat(journeys.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(journeys.after(i)).isEqualTo(-1);
            assertThat(journeys.before(i)).isEqualTo(-1);
        }
    }

    @Test
    void partsMergeWithTheirOwnTiesAndPathsAndNotAcrossEachOthersNumbers() {
        BoundaryCollector first = new BoundaryCollector();
        first.accept(new TestJourney(84, 0, 1).hop(VM, HopKind.QUEUE, 100).hop(PORT, HopKind.RX, 110)
                .hop(PORT, HopKind.RECEIVE, 120).hop(TUNNEL, HopKind.QUEUE, 130).end(130, Outcome.UNTERMINATED));
        BoundaryCollector second = new BoundaryCollector();
        // each part numbers its header changes from 1: this second part's 1 is not the first part's
        second.accept(new TestJourney(134, 1, 0).hop(NIC, HopKind.QUEUE, 150).end(200, Outcome.DELIVERED));
        second.accept(new TestJourney(134, 0, 2).hop(NIC, HopKind.RECEIVE, 300).end(300, Outcome.UNTERMINATED));
        second.accept(new TestJourney(84, 2, 0).hop(TUNNEL, HopKind.RECEIVE, 320).hop(PORT, HopKind.QUEUE, 330)
                .end(350, Outcome.DELIVERED));
        first.merge(second);
        BoundaryPackets packets = first.result(List.of());
        BoundaryJourneys journeys = packets.journeys();
        assertThat(journeys.size()).isEqualTo(4);
        assertThat(journeys.after(0)).isEqualTo(-1);
        assertThat(journeys.before(1)).isEqualTo(-1);
        assertThat(journeys.after(2)).isEqualTo(3);
        assertThat(journeys.pathHops(journeys.path(1))).containsExactly("phy0");
        assertThat(journeys.stepNs(3, 1)).isEqualTo(330);
        // each packet record points at its own journey, the second part's shifted past the first's; the last one
        // entered the host (from the tunnel) and left it (queued on the port last): a record each way
        List<Integer> records = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            records.add(packets.journeyOf(i));
        }
        assertThat(records).containsExactly(0, 1, 2, 3, 3);
    }

    /** An ICMP packet's journey, hop by hop. */
    private static final class TestJourney implements Journey {
        private final List<InterfaceId> devices = new ArrayList<>();
        private final List<HopKind> kinds = new ArrayList<>();
        private final List<Long> times = new ArrayList<>();
        private final int ipLength;
        private final long changeBefore;
        private final long changeAfter;
        private long endNs;
        private Outcome outcome;

        TestJourney(int ipLength, long changeBefore, long changeAfter) {
            this.ipLength = ipLength;
            this.changeBefore = changeBefore;
            this.changeAfter = changeAfter;
        }

        TestJourney hop(InterfaceId device, HopKind kind, long timeNs) {
            devices.add(device);
            kinds.add(kind);
            times.add(timeNs);
            return this;
        }

        TestJourney end(long timeNs, Outcome how) {
            endNs = timeNs;
            outcome = how;
            return this;
        }

        @Override
        public int hopCount() {
            return devices.size();
        }

        @Override
        public InterfaceId device(int hop) {
            return devices.get(hop);
        }

        @Override
        public HopKind kind(int hop) {
            return kinds.get(hop);
        }

        @Override
        public long timeNs(int hop) {
            return times.get(hop);
        }

        @Override
        public long contextNetns(int hop) {
            return 0;
        }

        @Override
        public long receiverNetns() {
            return 0;
        }

        @Override
        public int receiverHop() {
            return -1;
        }

        @Override
        public long endTimeNs() {
            return endNs;
        }

        @Override
        public Outcome outcome() {
            return outcome;
        }

        @Override
        public String dropReason() {
            return null;
        }

        @Override
        public boolean overlapsLostEvents() {
            return false;
        }

        @Override
        public long headerChangeBefore() {
            return changeBefore;
        }

        @Override
        public long headerChangeAfter() {
            return changeAfter;
        }

        @Override
        public int bytes() {
            return ipLength + 14;
        }

        @Override
        public boolean hasIpv4() {
            return true;
        }

        @Override
        public int ipHeaderHop() {
            return 0;
        }

        @Override
        public int ipv4Source() {
            return 0x0A000001;
        }

        @Override
        public int ipv4Destination() {
            return 0x0A000002;
        }

        @Override
        public int ipProtocol() {
            return 1;
        }

        @Override
        public int sourcePort() {
            return 0;
        }

        @Override
        public int destinationPort() {
            return 0;
        }

        @Override
        public boolean hasIpv6() {
            return false;
        }

        @Override
        public long sourceAddressHigh() {
            return 0;
        }

        @Override
        public long sourceAddressLow() {
            return 0xFFFF_0A00_0001L;
        }

        @Override
        public long destinationAddressHigh() {
            return 0;
        }

        @Override
        public long destinationAddressLow() {
            return 0xFFFF_0A00_0002L;
        }

        @Override
        public int ipId() {
            return ipLength; // any number: no two of these packets are matched
        }

        @Override
        public int ipLength() {
            return ipLength;
        }

        @Override
        public int ipHeaderLength() {
            return 20;
        }

        @Override
        public boolean hasTcp() {
            return false;
        }

        @Override
        public boolean hasUdp() {
            return false;
        }

        @Override
        public long tcpSequence() {
            return 0;
        }

        @Override
        public long tcpAck() {
            return 0;
        }

        @Override
        public int tcpHeaderLength() {
            return 0;
        }
    }
}
