package org.vnetscope.ctf.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.EventClass;

/**
 * The printer reads a reader's events in place (see {@link org.vnetscope.ctf.internal.ValueVisitor}) and any
 * other event through {@link Event#scope}: on every real trace, CTF 2 and conformance cases included (variable
 * length integers, arrays of structures, variants inside elements), both ways must print the same bytes.
 */
class InPlacePrintingTest {

    @TestFactory
    Stream<DynamicTest> inPlaceAndMaterializedPrintingAgree() throws IOException {
        String property = System.getProperty("vnetscope.traces");
        Path root = property == null ? null : Path.of(property);
        Assumptions.assumeTrue(root != null && Files.isDirectory(root),
                "shared traces folder not found (system property vnetscope.traces): skipped");
        List<Path> traces = new ArrayList<>();
        for (String folder : List.of("lab", "lab-ctf2", "public/tc-ctf2", "public/ctf-testsuite-1.8/stream/pass")) {
            try (Stream<Path> list = Files.list(root.resolve(folder))) {
                list.filter(Files::isDirectory).sorted()
                        .map(p -> Files.isDirectory(p.resolve("trace/kernel")) ? p.resolve("trace/kernel") : p)
                        .forEach(traces::add);
            }
        }
        for (String name : List.of("tc-bug446190", "tc-flipping-endianness", "tc-uneven-streams-partial")) {
            traces.add(root.resolve("public").resolve(name));
        }
        return traces.stream().map(trace -> DynamicTest.dynamicTest(root.relativize(trace).toString(), () -> {
            String inPlace = print(trace, false);
            Assumptions.assumeTrue(inPlace != null, "the reader rejects this trace: nothing to compare");
            assertThat(print(trace, true)).isEqualTo(inPlace);
        }));
    }

    /** The dump of a trace, or null when it cannot be read. */
    private static String print(Path trace, boolean materialized) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrettyPrinter printer = new PrettyPrinter(out, new PrintWriter(new StringWriter()),
                PrettyPrinter.Options.defaults().withClockGmt(true).withLocalZone(ZoneOffset.UTC), trace);
        try (TraceReader reader = TraceReader.open(trace)) {
            // The first events of each trace hold every event class that matters; all of them would take long.
            for (int count = 0; count < 20_000 && reader.next(); count++) {
                Event event = reader.event();
                if (event != null) {
                    printer.print(materialized ? new Materialized(event) : event);
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        printer.flush();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same event seen only through the public interface, so that the printer materializes its scopes. */
    private record Materialized(Event event) implements Event {
        @Override public EventClass eventClass() { return event.eventClass(); }
        @Override public int classIndex() { return event.classIndex(); }
        @Override public long timestampNs() { return event.timestampNs(); }
        @Override public long cycles() { return event.cycles(); }
        @Override public StreamFile stream() { return event.stream(); }
        @Override public boolean has(FieldKey key) { return event.has(key); }
        @Override public long getLong(FieldKey key) { return event.getLong(key); }
        @Override public String getString(FieldKey key) { return event.getString(key); }
        @Override public byte[] getBytes(FieldKey key) { return event.getBytes(key); }
        @Override public int copyBytes(FieldKey key, byte[] into) { return event.copyBytes(key, into); }
        @Override public double getDouble(FieldKey key) { return event.getDouble(key); }
        @Override public String[] getEnumLabels(FieldKey key) { return event.getEnumLabels(key); }
        @Override public Object[] scope(Scope scope) { return event.scope(scope); }
        @Override public long decodeAll() { return event.decodeAll(); }
    }
}
