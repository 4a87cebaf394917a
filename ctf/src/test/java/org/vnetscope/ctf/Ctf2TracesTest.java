package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.ctf.text.PrettyPrinter;

/**
 * CTF 2 traces. The lab traces converted to CTF 2 print, according to babeltrace2, exactly what their CTF 1.8
 * originals print; our printer matches babeltrace2 on the originals, so it must print the same for both.
 */
class Ctf2TracesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bridge-basic", "bridge-basic-fdb", "migration", "migration-fdb", "vlan-drops"})
    void labTraceInCtf2PrintsLikeItsCtf18Original(String scenario) {
        Path root = RealTracesTest.traces();
        String original = print(root.resolve("lab").resolve(scenario).resolve("trace/kernel"));
        String converted = print(root.resolve("lab-ctf2").resolve(scenario));
        assertThat(original.lines().count()).isGreaterThan(10_000);
        assertThat(converted).isEqualTo(original);
    }

    @Test
    void variableLengthIntegersOfTheTestTraceDecode() {
        List<String> lines = printLines("public/tc-ctf2/CTF2-vl-ints");
        assertThat(lines).hasSize(1);
        // The field names say the values written; the widest are the 64-bit limits.
        assertThat(lines.get(0)).contains("vu1a = 0,", "vu2 = 177,", "vu9 = 333333333333333333,",
                "vu10 = 18446744073709551615,", "vi1b = -1,", "vi2 = -156,", "vi6 = -171717171717,",
                "vi10b = 9223372036854775807,", "vi10c = -9223372036854775808 }");
    }

    @Test
    void preReleaseTestTracesRead() {
        assertThat(printLines("public/tc-ctf2/CTF2-7.0-smalltrace")).containsExactly(
                "string: { str = \"This is a test trace\" }", "string: { str = \"with only two small events.\" }");
        assertThat(printLines("public/tc-ctf2/CTF2-7.0-meta-variant-no-underscore")).containsExactly(
                "yo: { tag = ( \"PELCHAT\" : container = 1 ), var = { \"Daniel Lavoie\" } }");
        assertThat(printLines("public/tc-ctf2/CTF2-7.0-succeed1")).hasSizeGreaterThan(100)
                .allMatch(line -> line.startsWith("string: { str = \""));
        long discarded = 0;
        int events = 0;
        try (TraceReader reader = TraceReader.open(RealTracesTest.traces()
                .resolve("public/tc-ctf2/CTF2-7.0-ev-disc-no-ts-begin-end"), TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                if (reader.event() != null) {
                    events++;
                } else {
                    discarded += reader.discard().count();
                }
            }
        }
        assertThat(events).isEqualTo(3);
        assertThat(discarded).isEqualTo(17);
    }

    private static List<String> printLines(String trace) {
        return new ArrayList<>(print(RealTracesTest.traces().resolve(trace)).lines().toList());
    }

    private static String print(Path trace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintWriter warnings = new PrintWriter(new StringWriter());
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            PrettyPrinter.Options options = PrettyPrinter.Options.defaults().withClockGmt(true);
            PrettyPrinter printer = new PrettyPrinter(out, warnings, options, trace);
            printer.printAll(reader);
            printer.flush();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
