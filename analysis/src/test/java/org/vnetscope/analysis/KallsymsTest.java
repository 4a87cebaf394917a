package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KallsymsTest {

    /** The addresses and names drops-skb_kfree.txt gives for the lab guest's kernel. */
    @Test
    void namesDropLocationsLikeTheLabReference() {
        Kallsyms symbols = Kallsyms.read(GroundTruth.lab().resolve("kallsyms.txt.gz"));
        assertThat(symbols.symbolize(0xFFFFFFFF914BB701L)).isEqualTo("icmp_rcv+0x1b1");
        assertThat(symbols.symbolize(0xFFFFFFFFC0AAE957L)).isEqualTo("br_pass_frame_up [bridge]+0x1b7");
        assertThat(symbols.symbolize(0x1000L)).isNull();
    }
}
