package org.vnetscope.analysis.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.LabTraces;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * A lab trace split in two, each part analysed on its own, the parts merged: the path graph and the topology equal
 * those of one pass. Split by packet (every event of an skb address in the same part, so each part holds whole
 * journeys; events of no skb in the first part), and split in time (the second part is the later one, and the
 * migration's move spans both).
 */
class SplitAndMergeLabTest {

    private static final FieldKey SKBADDR = FieldKey.of("skbaddr");

    @ParameterizedTest
    @ValueSource(strings = {"bridge-basic", "vlan-drops", "migration-fdb", "ovs"})
    void packetHalvesMergeIntoTheOnePassPathsAndTopology(String name) {
        Path folder = LabTraces.scenario(name);
        AnalysisReport onePass = analyse(folder, event -> true, null);
        AnalysisReport merged = analyse(folder, event -> !event.has(SKBADDR) || half(event) == 0,
                event -> event.has(SKBADDR) && half(event) == 1);
        assertThat(merged.paths()).isNotEmpty().isEqualTo(onePass.paths());
        assertThat(merged.topology()).isEqualTo(onePass.topology());
        // an Open vSwitch upcall and user space's answer are two skbs: here they may sit in different parts
        assertThat(merged.datapaths()).isEqualTo(onePass.datapaths());
        assertThat(merged.drops()).containsExactlyInAnyOrderElementsOf(onePass.drops());
    }

    @Test
    void timeHalvesMergeIntoTheOnePassDatapath() {
        Path folder = LabTraces.scenario("ovs");
        AnalysisReport onePass = analyse(folder, event -> true, null);
        // the cut falls between the UDP flow and the datagrams of the drop rule: a part learns the datapath's
        // ports from its own datapath events, and the first datagram goes to user space, which names its port
        JsonNode flows = LabTraces.json(folder.resolve("scenario.json")).path("flows");
        JsonNode dropFlow = flows.path(3);
        assertThat(dropFlow.path("dst_port").asInt()).isEqualTo(9999);
        long cut = (flows.path(2).path("end_ns").asLong() + dropFlow.path("start_ns").asLong()) / 2;
        AnalysisReport merged = analyse(folder, event -> event.timestampNs() < cut,
                event -> event.timestampNs() >= cut);
        assertThat(onePass.datapaths()).hasSize(1);
        assertThat(merged.datapaths()).isEqualTo(onePass.datapaths());
        assertThat(merged.datapaths().get(0).drops()).isEqualTo(100);
        assertThat(merged.datapaths().get(0).upcalls()).isEqualTo(22);
    }

    @ParameterizedTest
    @ValueSource(strings = {"migration-fdb", "migration"})
    void timeHalvesMergeIntoTheOnePassTopologyWithItsMove(String name) {
        Path folder = LabTraces.scenario(name);
        AnalysisReport onePass = analyse(folder, event -> true, null);
        long middle = LabTraces.json(folder.resolve("scenario.json")).path("migration").path("delete_start_ns").asLong();
        AnalysisReport merged = analyse(folder, event -> event.timestampNs() < middle,
                event -> event.timestampNs() >= middle);
        assertThat(merged.topology().bridges()).isEqualTo(onePass.topology().bridges());
        assertThat(merged.topology().changes()).isNotEmpty().isEqualTo(onePass.topology().changes());
        if (name.equals("migration-fdb")) {
            // learned with VLAN id 0 before the cut, the removed port's VLAN after it: every port has its VLAN
            assertThat(onePass.topology().bridges().get(0).ports())
                    .allSatisfy(port -> assertThat(port.vlanMembership()).isNotEmpty());
        }
        // packets in flight at the cut end there: their journeys are split in two, nothing else changes
        long packets = onePass.paths().stream().mapToLong(p -> p.packets()).sum();
        long mergedPackets = merged.paths().stream().mapToLong(p -> p.packets()).sum();
        assertThat(mergedPackets).isBetween(packets, packets + 10);
    }

    /**
     * Cut between the local entries a port's removal deletes (one per VLAN, then one without): the VLAN deleted in
     * the first part is still the one the port held when the second part removed it.
     */
    @Test
    void aCutInsideAPortRemovalKeepsTheVlanItHeld() {
        Path folder = LabTraces.scenario("migration-fdb");
        String port = LabTraces.json(folder.resolve("scenario.json")).at("/migration/from/port").asText();
        List<Long> localDeletions = new ArrayList<>();
        try (EventStream stream = LabTraces.stream(folder)) {
            stream.onEvent("fdb_delete", e -> {
                if (e.getString(FieldKey.of("dev")).equals(port) && (e.getLong(FieldKey.of("flags")) & 1) != 0) {
                    localDeletions.add(e.timestampNs());
                }
            });
            stream.start();
        }
        assertThat(localDeletions).hasSize(2);
        long cut = (localDeletions.get(0) + localDeletions.get(1)) / 2 + 1;
        AnalysisReport onePass = analyse(folder, event -> true, null);
        AnalysisReport merged = analyse(folder, event -> event.timestampNs() < cut,
                event -> event.timestampNs() >= cut);
        assertThat(merged.topology().bridges()).isEqualTo(onePass.topology().bridges());
        Topology.Port removed = onePass.topology().bridges().get(0).ports().stream()
                .filter(p -> p.name().equals(port)).findFirst().orElseThrow();
        assertThat(removed.removedNs()).isNotNull();
        assertThat(removed.vlanMembership()).extracting(Topology.Vlan::vid, Topology.Vlan::source,
                Topology.Vlan::untilNs).containsExactly(tuple(1, "fdb", null));
    }

    /**
     * tap-vms cut in time between two flows: each part learns which relay each VM's packets are and where its pair
     * is; the merged parts place every relayed VM's pair, with the same figures, as one pass does.
     */
    @Test
    void timeHalvesMergeIntoTheOnePassRelayedPairs() {
        Path folder = LabTraces.scenario("tap-vms");
        AnalysisReport onePass = analyse(folder, event -> true, null);
        JsonNode flows = LabTraces.json(folder.resolve("scenario.json")).path("flows");
        long cut = (flows.path(2).path("end_ns").asLong() + flows.path(3).path("start_ns").asLong()) / 2;
        AnalysisReport merged = analyse(folder, event -> event.timestampNs() < cut,
                event -> event.timestampNs() >= cut);
        assertThat(merged.interfaces()).isNotEmpty().isEqualTo(onePass.interfaces());
        assertThat(merged.topology().vethPairs()).hasSize(3).isEqualTo(onePass.topology().vethPairs());
        assertThat(merged.drops()).containsExactlyInAnyOrderElementsOf(onePass.drops());
    }

    private static int half(Event event) {
        return (int) ((event.getLong(SKBADDR) * 0x9E3779B97F4A7C15L) >>> 63);
    }

    /** Analyses the events {@code first} keeps, then (if given) those {@code second} keeps, and merges. */
    private static AnalysisReport analyse(Path folder, Predicate<Event> first, Predicate<Event> second) {
        NetworkAnalysis analysis = part(folder, first);
        if (second != null) {
            analysis.merge(part(folder, second));
        }
        try (EventStream stream = LabTraces.stream(folder)) {
            return analysis.report(folder.getFileName().toString(), stream.reader().traces());
        }
    }

    private static NetworkAnalysis part(Path folder, Predicate<Event> keep) {
        NetworkAnalysis analysis = new NetworkAnalysis(AnalysisOptions.defaults());
        try (EventStream all = LabTraces.stream(folder);
             EventStream stream = EventStream.of(new Filtered(all.reader(), keep))) {
            analysis.subscribe(stream);
            stream.start();
        }
        return analysis;
    }

    /** The events of a reader that a predicate keeps; lost-event records go to the part that keeps no-skb events. */
    private record Filtered(TraceReader reader, Predicate<Event> keep) implements TraceReader {
        @Override
        public List<Trace> traces() {
            return reader.traces();
        }

        @Override
        public List<StreamFile> streams() {
            return reader.streams();
        }

        @Override
        public void limitTo(long beginNs, long endNs) {
            reader.limitTo(beginNs, endNs);
        }

        @Override
        public long startNs() {
            return reader.startNs();
        }

        @Override
        public boolean next() {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null || keep.test(event)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Event event() {
            return reader.event();
        }

        @Override
        public Discard discard() {
            return reader.discard();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
