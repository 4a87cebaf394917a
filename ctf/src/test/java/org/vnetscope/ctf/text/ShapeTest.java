package org.vnetscope.ctf.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.internal.tsdl.MetadataParser;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;

/** Which fields babeltrace2 shows, on real metadata. */
class ShapeTest {

    private static List<String> shownNames(Shape shape) {
        List<String> names = new ArrayList<>();
        if (shape == null) {
            return null;
        }
        StructType struct = (StructType) shape.type;
        for (int i = 0; i < shape.children.length; i++) {
            if (shape.children[i].shown) {
                names.add(struct.fields().get(i).name());
            }
        }
        return names;
    }

    private static EventClass named(StreamClass stream, String name) {
        return stream.events().values().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void clockMappedAndPacketPropertyFieldsAreHidden() throws URISyntaxException {
        Path metadata = Path.of(getClass().getResource("/edge-trace/trace/metadata").toURI());
        TraceClass trace = MetadataParser.parse(metadata, TraceReader.Warnings.IGNORE);
        StreamClass stream = trace.streams().get(0L);
        Shape.StreamShapes shapes = new Shape.StreamShapes(stream);
        assertThat(shownNames(shapes.packetContext)).containsExactly("cpu_id");
        assertThat(shapes.eventCommonContext).isNull();
        assertThat(shownNames(shapes.eventShapes(named(stream, "hidden"))[1])).containsExactly("visible");
        assertThat(shapes.eventShapes(named(stream, "onlyclock"))[1]).as("a payload of clock fields only").isNull();
        assertThat(shapes.eventShapes(named(stream, "nofields"))[1]).as("no payload declared").isNull();
        assertThat(shownNames(shapes.eventShapes(named(stream, "variants"))[1]))
                .containsExactly("tag", "v", "st", "empty");
    }

    @Test
    void lttngKernelTraceShowsCpuIdAndDeclaredEmptyPayloads() {
        String traces = System.getProperty("vnetscope.traces");
        Path metadata = traces == null ? null : Path.of(traces, "lab/bridge-basic/trace/kernel/metadata");
        assumeTrue(metadata != null && Files.exists(metadata), "shared traces not found: skipped");
        TraceClass trace = MetadataParser.parse(metadata, TraceReader.Warnings.IGNORE);
        StreamClass stream = trace.streams().values().iterator().next();
        Shape.StreamShapes shapes = new Shape.StreamShapes(stream);
        assertThat(shownNames(shapes.packetContext)).containsExactly("cpu_id");
        assertThat(shownNames(shapes.eventCommonContext)).containsExactly("procname", "tid", "pid", "net_ns");
        assertThat(shownNames(shapes.eventShapes(named(stream, "lttng_statedump_start"))[1])).isEmpty();
    }
}
