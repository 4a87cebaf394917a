package org.vnetscope.ctf.internal.tsdl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/** The metadata of the real LTTng traces, checked against what babeltrace2 reads from them. */
class RealTraceMetadataTest {

    private static Path traces() {
        String traces = System.getProperty("vnetscope.traces");
        Assumptions.assumeTrue(traces != null && Files.isDirectory(Path.of(traces)),
                "shared traces absent (system property vnetscope.traces): real-trace metadata tests skipped");
        return Path.of(traces);
    }

    static Stream<String> metadataFiles() {
        return Stream.of("lab/bridge-basic/trace/kernel/metadata", "lab/bridge-basic-fdb/trace/kernel/metadata",
                "lab/vlan-drops/trace/kernel/metadata", "lab/migration/trace/kernel/metadata",
                "lab/migration-fdb/trace/kernel/metadata", "lab/tap-vms/trace/kernel/metadata",
                "lab/ovs/trace/kernel/metadata", "public/tc-bug446190/metadata",
                "public/tc-flipping-endianness/metadata", "public/tc-many-threads/metadata",
                "public/tc-uneven-streams-partial/metadata");
    }

    private static TraceClass parse(String relative) {
        List<String> warnings = new ArrayList<>();
        TraceClass trace = MetadataParser.parse(traces().resolve(relative), warnings::add);
        assertThat(warnings).as("warnings for " + relative).isEmpty();
        return trace;
    }

    @ParameterizedTest
    @MethodSource("metadataFiles")
    void parsesIntoAFullyResolvedModel(String relative) {
        TraceClass trace = parse(relative);
        assertThat(trace.streams()).isNotEmpty();
        checkResolved(trace.packetHeader());
        for (StreamClass stream : trace.streams().values()) {
            assertThat(stream.events()).isNotEmpty();
            checkResolved(stream.packetContext());
            checkResolved(stream.eventHeader());
            checkResolved(stream.eventContext());
            for (EventClass event : stream.events().values()) {
                assertThat(event.streamClassId()).isEqualTo(stream.id());
                checkResolved(event.context());
                checkResolved(event.payload());
            }
        }
    }

    /** Every byte order is concrete and every tag and length resolved. */
    private static void checkResolved(FieldType type) {
        if (type instanceof IntegerType integer) {
            assertThat(integer.byteOrder()).isNotNull();
        } else if (type instanceof FloatType floating) {
            assertThat(floating.byteOrder()).isNotNull();
        } else if (type instanceof EnumType enumeration) {
            checkResolved(enumeration.container());
        } else if (type instanceof StructType struct) {
            struct.fields().forEach(field -> checkResolved(field.type()));
        } else if (type instanceof VariantType variant) {
            assertThat(variant.tag()).isNotNull();
            variant.options().forEach(option -> checkResolved(option.type()));
        } else if (type instanceof ArrayType array) {
            checkResolved(array.element());
        } else if (type instanceof SequenceType sequence) {
            assertThat(sequence.length()).isNotNull();
            checkResolved(sequence.element());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge-basic-fdb", "ovs"})
    void eventClassesAgreeWithBabeltrace(String scenario) throws IOException {
        TraceClass trace = parse("lab/" + scenario + "/trace/kernel/metadata");
        StreamClass stream = trace.streams().get(0L);
        List<String> ours = new ArrayList<>();
        List<String> enums = new ArrayList<>();
        for (EventClass event : stream.events().values()) {
            List<String> names = event.payload().fields().stream().map(Field::name).toList();
            ours.add(event.id() + " " + event.name() + ": " + String.join(" ", names));
            for (Field field : event.payload().fields()) {
                if (field.type() instanceof EnumType enumeration) {
                    TreeSet<String> labels = new TreeSet<>();
                    enumeration.mappings().forEach(mapping -> labels.add(mapping.label()));
                    enums.add("enum " + event.id() + " " + field.name() + ": " + String.join(" ", labels));
                }
            }
        }
        ours.addAll(enums);
        assertThat(ours).containsExactlyInAnyOrderElementsOf(oracle(scenario));
    }

    private static List<String> oracle(String scenario) throws IOException {
        try (InputStream in = RealTraceMetadataTest.class.getResourceAsStream(
                "/oracle/" + scenario + "-event-classes.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
        }
    }

    @Test
    void lttngKernelLayoutIsResolved() {
        TraceClass trace = parse("lab/bridge-basic/trace/kernel/metadata");
        assertThat(trace.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(trace.uuid()).hasToString("4e55de1c-86ab-9240-990a-a1a577150626");
        assertThat(trace.env()).containsEntry("hostname", "labguest").containsEntry("tracer_major", 2L)
                .containsEntry("trace_name", "bridge-basic");
        ClockClass clock = trace.clocks().get("monotonic");
        assertThat(clock.frequency()).isEqualTo(1_000_000_000L);
        assertThat(clock.offsetCycles()).isEqualTo(1795647368408008494L);
        assertThat(trace.packetHeader().fields()).extracting(Field::name)
                .containsExactly("magic", "uuid", "stream_id", "stream_instance_id");

        StreamClass stream = trace.streams().get(0L);
        // event.header := struct event_header_large: the variant <id> designates the enum just before it
        VariantType header = (VariantType) stream.eventHeader().fields().get(1).type();
        assertThat(header.tag()).isEqualTo(new FieldRef(Scope.EVENT_HEADER, List.of("id")));
        assertThat(header.options()).extracting(Field::name).containsExactly("compact", "extended");
        StructType compact = (StructType) header.options().get(0).type();
        assertThat(((IntegerType) compact.fields().get(0).type()).mappedClock()).isEqualTo("monotonic");
        assertThat(stream.eventContext().fields()).extracting(Field::name)
                .containsExactly("procname", "tid", "pid", "net_ns");

        EventClass queue = stream.events().values().stream().filter(e -> e.name().equals("net_dev_queue"))
                .findFirst().orElseThrow();
        VariantType network = (VariantType) queue.payload().fields().get(4).type();
        assertThat(network.tag()).isEqualTo(new FieldRef(Scope.EVENT_PAYLOAD, List.of("network_header_type")));
        assertThat(network.indexOf("_ipv4")).isEqualTo(1);
        StructType ipv4 = (StructType) network.options().get(1).type();
        IntegerType totalLength = (IntegerType) ipv4.fields().get(3).type();
        assertThat(totalLength.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        EnumType protocol = (EnumType) ipv4.fields().get(7).type();
        assertThat(protocol.mappings()).contains(new EnumType.Mapping("_unknown", 18, 255),
                new EnumType.Mapping("_udp", 17, 17));
    }

    @Test
    void bigEndianTraceResolvesNativeToBigEndian() {
        TraceClass trace = parse("public/tc-flipping-endianness/metadata");
        assertThat(trace.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        IntegerType magic = (IntegerType) trace.packetHeader().fields().get(0).type();
        assertThat(magic.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }
}
