package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bookkeeping of packets GRO merged, per CPU, as a NAPI poll shows them (entry, exit, later delivery). */
class GroReceivesTest {

    private static final long MERGED = 0;
    private static final long MERGED_FREE = 1;
    private static final long HELD = 2;
    private static final long NORMAL = 3;

    private final InterfaceId nic = new InterfaceId("eth1", null, 0);

    @Test
    void mergedPacketsGoToTheDeviceThatDeliversNextOnTheirCpu() {
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
        assertThat(gro.takeMerged(null, nic, 52, 10)).isEqualTo(3);
        // a packet GRO passed on unmerged
        gro.entered(null, 0xD0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xD0)).isTrue();
        assertThat(gro.takeMerged(null, nic, 52, 20)).isZero();
    }

    @Test
    void whatIsLeftMergedWhenAPartEndsGoesToTheLastDeviceOfItsCpu() {
        GroReceives gro = new GroReceives();
        gro.entered(null, 0xA0);
        gro.exited(null, NORMAL);
        assertThat(gro.cameOut(null, 0xA0)).isTrue();
        assertThat(gro.takeMerged(null, nic, 40, 5)).isZero();
        gro.entered(null, 0xA1);
        gro.exited(null, HELD);
        gro.entered(null, 0xA2);
        gro.exited(null, MERGED_FREE);
        List<String> drained = new ArrayList<>();
        gro.drain((device, packets, headerBytes, timeNs) -> drained.add(device.name() + " " + packets + " "
                + headerBytes + " " + timeNs));
        assertThat(drained).containsExactly("eth1 1 40 5");
    }
}
