package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedding's figures kept change by change equal those computed from scratch: after every committed move,
 * swap or reroute, and after every trial rolled back (the state and its cached percentiles as before it).
 */
class EmbeddingStateTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void incrementalFiguresEqualFiguresFromScratch(long seed) {
        Substrates.Case c = Substrates.small(seed);
        Instance instance = new Instance(c.problem());
        Topology topology = new Topology(c.problem().hosts(), c.substrate(), 3);
        Network net = new Network(instance, topology);
        Embedding state = new Embedding(net, instance.current, null);
        Random random = new Random(seed);
        for (int step = 0; step < 400; step++) {
            Embedding.Score before = state.score();
            int[] hosts = state.assignment();
            int[] routes = state.routes();
            boolean keep = random.nextBoolean();
            state.begin();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                if (random.nextInt(3) == 0) {
                    int d = random.nextInt(instance.demands());
                    if (state.apart(d) && state.pathsOf(d).length > 0) {
                        state.reroute(d, random.nextInt(state.pathsOf(d).length));
                    }
                } else {
                    state.move(random.nextInt(instance.vms()), random.nextInt(instance.hosts()));
                }
            }
            Embedding.Score tried = state.score();
            assertThat(tried).isEqualTo(new Embedding(net, state.assignment(), state.routes()).score());
            if (keep) {
                state.commit();
            } else {
                state.rollback();
                assertThat(state.assignment()).isEqualTo(hosts);
                assertThat(state.routes()).isEqualTo(routes);
                assertThat(state.score()).isEqualTo(before);
            }
            for (int l = 0; l < topology.links(); l++) {
                Embedding fresh = new Embedding(net, state.assignment(), state.routes());
                assertThat(state.linkBps(l)).isEqualTo(fresh.linkBps(l));
            }
        }
    }
}
