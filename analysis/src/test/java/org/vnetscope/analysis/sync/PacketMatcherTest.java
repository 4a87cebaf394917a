package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Matching one host's sends with another's receives on records no recording has: a GSO super-packet received as
 * GRO-merged pieces, small segments GRO merged into one, retransmissions, ids that disagree, keys that repeat.
 */
class PacketMatcherTest {

    private static final long FLOW = 0x1234_5678_9ABCL;
    private static final int MSS = 1448;

    @Test
    void oneGsoSendMatchesEachGroMergedReceive() {
        BoundaryPackets sender = new SyntheticPackets()
                .tcp(true, 1_000, FLOW, 10_000, 77, 100, 4 * MSS) // four segments, ids 100..103
                .build();
        BoundaryPackets receiver = new SyntheticPackets()
                .tcp(false, 5_000, FLOW, 10_000, 77, 100, 2 * MSS) // segments 1 and 2 merged
                .tcp(false, 5_300, FLOW, 10_000 + 2 * MSS, 77, 102, 2 * MSS) // segments 3 and 4
                .build();
        PacketMatcher.Matches matches = PacketMatcher.match(sender, receiver);
        assertThat(matches.size()).isEqualTo(2);
        assertThat(matches.sentNs()).containsOnly(1_000L);
        assertThat(matches.receivedNs()).containsExactlyInAnyOrder(5_000L, 5_300L);
    }

    @Test
    void severalSmallSendsMergedIntoOneReceiveMatchTheFirst() {
        BoundaryPackets sender = new SyntheticPackets()
                .tcp(true, 1_000, FLOW, 10_000, 77, 100, MSS)
                .tcp(true, 1_100, FLOW, 10_000 + MSS, 77, 101, MSS)
                .tcp(true, 1_200, FLOW, 10_000 + 2 * MSS, 77, 102, MSS)
                .build();
        BoundaryPackets receiver = new SyntheticPackets()
                .tcp(false, 5_000, FLOW, 10_000, 77, 100, 3 * MSS)
                .build();
        PacketMatcher.Matches matches = PacketMatcher.match(sender, receiver);
        assertThat(matches.size()).isEqualTo(1);
        assertThat(matches.sentNs()[0]).isEqualTo(1_000L);
    }

    @Test
    void theIpIdTellsWhichSendOfRetransmittedBytesArrived() {
        BoundaryPackets sender = new SyntheticPackets()
                .tcp(true, 1_000, FLOW, 10_000, 77, 100, 2 * MSS)
                .tcp(true, 900_000, FLOW, 10_000, 77, 180, 2 * MSS) // the retransmission, a new id
                .build();
        BoundaryPackets retransmissionArrived = new SyntheticPackets()
                .tcp(false, 905_000, FLOW, 10_000 + MSS, 77, 181, MSS)
                .build();
        PacketMatcher.Matches matches = PacketMatcher.match(sender, retransmissionArrived);
        assertThat(matches.sentNs()).containsExactly(900_000L);

        // an id that fits neither send's numbering (five ids for one segment's bytes) matches nothing
        BoundaryPackets inconsistent = new SyntheticPackets()
                .tcp(false, 905_000, FLOW, 10_000 + MSS, 77, 105, MSS)
                .build();
        assertThat(PacketMatcher.match(sender, inconsistent).size()).isZero();
    }

    @Test
    void withoutIpIdTheEarliestSendOfTheBytesIsKept() {
        BoundaryPackets sender = new SyntheticPackets()
                .tcp(true, 1_000, FLOW, 10_000, 77, -1, 2 * MSS)
                .tcp(true, 900_000, FLOW, 10_000, 77, -1, 2 * MSS)
                .build();
        BoundaryPackets receiver = new SyntheticPackets()
                .tcp(false, 905_000, FLOW, 10_000 + MSS, 77, -1, MSS)
                .build();
        PacketMatcher.Matches matches = PacketMatcher.match(sender, receiver);
        assertThat(matches.sentNs()).containsExactly(1_000L);
    }

    @Test
    void anotherAcknowledgmentOrFlowIsAnotherPacket() {
        BoundaryPackets sender = new SyntheticPackets()
                .tcp(true, 1_000, FLOW, 10_000, 77, 100, 2 * MSS)
                .build();
        BoundaryPackets receiver = new SyntheticPackets()
                .tcp(false, 5_000, FLOW, 10_000, 78, 100, 2 * MSS)
                .tcp(false, 5_000, FLOW + 1, 10_000, 77, 100, 2 * MSS)
                .tcp(false, 5_000, FLOW, 10_000 + 2 * MSS, 77, 102, MSS) // past the send's range
                .build();
        assertThat(PacketMatcher.match(sender, receiver).size()).isZero();
    }

    @Test
    void aKeyStandingForSeveralPacketsIsDroppedAndCopiesOfOneAreNot() {
        BoundaryPackets sender = new SyntheticPackets()
                .ip(true, 1_000, FLOW, 7, 84)
                .ip(true, 5_000_000_000L, FLOW, 7, 84) // the id wrapped: another packet with the same key
                .ip(true, 2_000, FLOW, 8, 84)
                .ip(true, 2_500, FLOW, 8, 84) // the same packet leaving through a second device
                .build();
        BoundaryPackets receiver = new SyntheticPackets()
                .ip(false, 3_000, FLOW, 7, 84)
                .ip(false, 4_000, FLOW, 8, 84)
                .build();
        PacketMatcher.Matches matches = PacketMatcher.match(sender, receiver);
        assertThat(matches.droppedKeys()).isEqualTo(1);
        assertThat(matches.sentNs()).containsExactly(2_000L);
        assertThat(matches.receivedNs()).containsExactly(4_000L);
    }

    @Test
    void onlyOutgoingMatchesIncoming() {
        BoundaryPackets sender = new SyntheticPackets().ip(false, 1_000, FLOW, 7, 84).build();
        BoundaryPackets receiver = new SyntheticPackets().ip(false, 3_000, FLOW, 7, 84).build();
        assertThat(PacketMatcher.match(sender, receiver).size()).isZero();
    }
}
