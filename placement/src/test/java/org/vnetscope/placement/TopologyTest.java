package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The candidate paths: the k shortest by hop count, loopless, through switches only. */
class TopologyTest {

    static List<HostSpec> hosts(int n) {
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < n; h++) {
            hosts.add(new HostSpec("h" + h, 1, 1024, 0));
        }
        return hosts;
    }

    /**
     * Three leaves of one host each, two spines: between two leaves, two paths of four links (one per spine),
     * then two of six through the third leaf (up one spine, down the other), and no more loopless ones.
     */
    @Test
    void theKShortestPathsOfALeafSpineFabric() {
        Substrate fabric = Substrates.leafSpine(3, 1, 2, 10, 10, List.of());
        Topology four = new Topology(hosts(3), fabric, 4);
        int[][] paths = four.paths(0, 1);
        assertThat(Arrays.stream(paths).mapToInt(p -> p.length).toArray()).containsExactly(4, 4, 6, 6);
        assertThat(four.nodesOf(0, 1, paths[0])).containsExactly("h0", "leaf1", "spine1", "leaf2", "h1");
        assertThat(four.nodesOf(0, 1, paths[1])).containsExactly("h0", "leaf1", "spine2", "leaf2", "h1");
        assertThat(four.nodesOf(0, 1, paths[2])).containsExactly("h0", "leaf1", "spine1", "leaf3", "spine2", "leaf2",
                "h1");
        assertThat(four.nodesOf(0, 1, paths[3])).containsExactly("h0", "leaf1", "spine2", "leaf3", "spine1", "leaf2",
                "h1");
        assertThat(new Topology(hosts(3), fabric, 8).paths(0, 1).length).isEqualTo(4);
        assertThat(new Topology(hosts(3), fabric, 1).paths(1, 0).length).isEqualTo(1);
        // the same paths whichever way they are asked for
        assertThat(four.paths(1, 0)).isSameAs(paths);
    }

    /** h0 is on both switches, h1 only on s1 and h2 only on s2: h0 does not forward between them. */
    @Test
    void aHostWithTwoLinksIsNoRouter() {
        Substrate substrate = new Substrate(List.of(), List.of("s1", "s2"), List.of(new Substrate.Link("h0", "s1", 10),
                new Substrate.Link("h0", "s2", 10), new Substrate.Link("h1", "s1", 10),
                new Substrate.Link("h2", "s2", 10)), List.of());
        Topology topology = new Topology(hosts(3), substrate, 4);
        assertThat(topology.paths(1, 2).length).isZero();
        assertThat(topology.paths(0, 1).length).isEqualTo(1);
        assertThat(topology.paths(0, 2).length).isEqualTo(1);
    }

    /** Two parallel links between the same switches are two paths. */
    @Test
    void parallelLinksAreDistinctPaths() {
        Substrate substrate = new Substrate(List.of(), List.of("s1", "s2"), List.of(new Substrate.Link("h0", "s1", 10),
                new Substrate.Link("h1", "s2", 10), new Substrate.Link("s1", "s2", 10),
                new Substrate.Link("s1", "s2", 20)), List.of());
        Topology topology = new Topology(hosts(2), substrate, 4);
        int[][] paths = topology.paths(0, 1);
        assertThat(paths.length).isEqualTo(2);
        assertThat(paths[0]).containsExactly(0, 2, 1);
        assertThat(paths[1]).containsExactly(0, 3, 1);
        assertThat(topology.bottleneck(paths[1])).isEqualTo(10);
    }
}
