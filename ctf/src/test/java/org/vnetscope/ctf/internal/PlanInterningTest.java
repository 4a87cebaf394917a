package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.internal.tsdl.MetadataParser;
import org.vnetscope.ctf.meta.StructType;

/**
 * Plans interned by layout ({@link PlanCompiler.Interned}) on real LTTng kernel traces: event classes share a plan
 * exactly when they declare the same context and payload, within a trace and across traces of one reader, and
 * reading two traces together gives what reading each alone gives.
 */
class PlanInterningTest {
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path BRIDGE = REPO.resolve("samples/bridge-basic/trace/kernel");
    private static final Path DISCARDS = REPO.resolve("samples/lab2/discards/trace/kernel");

    private static CompiledTrace compile(Path directory, PlanCompiler.Interned plans) {
        Path metadata = directory.resolve("metadata");
        return new CompiledTrace(new Trace(directory, MetadataParser.parse(metadata, TraceReader.Warnings.IGNORE)),
                metadata, new CompiledTrace.EventClassCounter(), plans);
    }

    private static List<CompiledTrace.Event> events(CompiledTrace trace) {
        List<CompiledTrace.Event> events = new ArrayList<>();
        trace.streams.values().forEach(stream -> events.addAll(stream.events.values()));
        return events;
    }

    private static List<StructType> layout(CompiledTrace.Event event) {
        return List.of(CompiledTrace.orEmpty(event.eventClass.context()),
                CompiledTrace.orEmpty(event.eventClass.payload()));
    }

    @Test
    void eventClassesOfTheLabTraceShareAPlanExactlyWhenTheyDeclareTheSameLayout() {
        List<CompiledTrace.Event> events = events(compile(BRIDGE, new PlanCompiler.Interned()));
        int layouts = assertPlansFollowLayouts(events);
        // 39 network event classes, 21 layouts (the skb_* and netif_* events repeat theirs)
        assertThat(layouts).isLessThan(events.size());
    }

    @Test
    void eventClassesOfAFullKernelTraceShareAPlanExactlyWhenTheyDeclareTheSameLayout() {
        Path trace = shared("tc-many-threads");
        List<CompiledTrace.Event> events = events(compile(trace, new PlanCompiler.Interned()));
        int layouts = assertPlansFollowLayouts(events);
        // every kernel event enabled: 1,181 event classes, 384 layouts (system call exits with only a return value...)
        assertThat(events).hasSizeGreaterThan(1000);
        assertThat(layouts).isLessThan(events.size() / 2);
    }

    /** Checks that event classes share context and payload plans exactly when their layouts are equal; returns how many. */
    private static int assertPlansFollowLayouts(List<CompiledTrace.Event> events) {
        Map<List<StructType>, List<CompiledTrace.Event>> byLayout = new HashMap<>();
        for (CompiledTrace.Event event : events) {
            byLayout.computeIfAbsent(layout(event), key -> new ArrayList<>()).add(event);
        }
        for (List<CompiledTrace.Event> same : byLayout.values()) {
            for (CompiledTrace.Event event : same) {
                assertThat(event.payload).as(event.eventClass.name()).isSameAs(same.get(0).payload);
                assertThat(event.context).as(event.eventClass.name()).isSameAs(same.get(0).context);
            }
        }
        Map<Plan, List<StructType>> layoutOfPayloadPlan = new IdentityHashMap<>();
        for (CompiledTrace.Event event : events) {
            List<StructType> other = layoutOfPayloadPlan.putIfAbsent(event.payload, layout(event));
            if (!event.payload.isEmpty()) {
                // no two layouts merged into one plan
                assertThat(other == null || other.equals(layout(event))).as(event.eventClass.name()).isTrue();
            }
        }
        return byLayout.size();
    }

    @Test
    void tracesOfOneKernelShareTheirPlans() {
        PlanCompiler.Interned plans = new PlanCompiler.Interned();
        CompiledTrace first = compile(BRIDGE, plans);
        int alone = plans.size();
        CompiledTrace second = compile(DISCARDS, plans);
        // Both recorded with the same kernel and LTTng: every layout of the second was compiled for the first.
        assertThat(plans.size()).isEqualTo(alone);
        assertThat(second.packetHeader).isSameAs(first.packetHeader);
        Map<String, CompiledTrace.Event> firstByName = new HashMap<>();
        events(first).forEach(event -> firstByName.put(event.eventClass.name(), event));
        for (CompiledTrace.Event event : events(second)) {
            CompiledTrace.Event same = firstByName.get(event.eventClass.name());
            assertThat(same).as(event.eventClass.name()).isNotNull();
            assertThat(event.payload).as(event.eventClass.name()).isSameAs(same.payload);
        }
        for (CompiledTrace.Stream stream : second.streams.values()) {
            CompiledTrace.Stream same = first.streams.get(stream.streamClass.id());
            assertThat(stream.eventHeader).isSameAs(same.eventHeader);
            assertThat(stream.packetContext).isSameAs(same.packetContext);
        }
    }

    private static Path shared(String name) {
        String traces = System.getProperty("vnetscope.traces");
        Path trace = traces == null ? null : Path.of(traces, "public", name);
        assumeTrue(trace != null && Files.isDirectory(trace), "shared trace " + name + " not found: skipped");
        return trace;
    }

    @Test
    void twoTracesReadTogetherGiveWhatEachGivesAlone() {
        List<String> alone = new ArrayList<>();
        alone.addAll(records(TraceReader.open(BRIDGE)));
        alone.addAll(records(TraceReader.open(DISCARDS)));
        List<String> together = records(TraceReader.open(REPO.resolve("samples")));
        // "samples" holds more traces than these two: keep theirs.
        together.removeIf(record -> !record.contains("bridge-basic") && !record.contains("lab2/discards"));
        Collections.sort(alone);
        Collections.sort(together);
        assertThat(together).hasSize(alone.size()).isEqualTo(alone);
    }

    /** Time, class, the hash of every field, and the trace each event came from. */
    private static List<String> records(TraceReader reader) {
        List<String> records = new ArrayList<>();
        try (reader) {
            while (reader.next()) {
                Event event = reader.event();
                if (event != null) {
                    records.add(event.timestampNs() + " " + event.name() + " " + Long.toHexString(event.decodeAll())
                            + " " + event.stream().path().toAbsolutePath().normalize());
                }
            }
        }
        return records;
    }
}
