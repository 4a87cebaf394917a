package org.vnetscope.analysis.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;

/**
 * A copy of hostb's trace whose clock is declared 2.5 s later and 50 ppm faster (its metadata's clock block
 * rewritten: {@code offset_s}, {@code offset} and {@code freq}; the event data untouched): synchronized with
 * hosta, it must give back exactly that change, within the accuracy reported.
 */
class RewrittenClockTest {

    private static final long NS_PER_S = 1_000_000_000L;
    private static final long SHIFT_NS = 2_500_000_000L;
    /** 1e9 / (1 + 50 ppm), to the nearest Hz: a clock read at this frequency runs 50 ppm fast. */
    private static final long FREQUENCY = Math.round(NS_PER_S / 1.00005);

    @Test
    void knownOffsetAndDriftComeBack(@TempDir Path copy) throws IOException {
        String scenario = "mh-uplink";
        Path original = Lab5SyncTest.RECORDINGS.resolve(scenario).resolve("hostb/trace/kernel");
        String metadata = metadataText(original.resolve("metadata"));
        Matcher clock = Pattern.compile("freq = 1000000000;[^;]*?offset = (\\d+);", Pattern.DOTALL).matcher(metadata);
        assertThat(clock.find()).as("a 1 GHz clock with an offset in cycles").isTrue();
        long originNs = Long.parseLong(clock.group(1)); // the time at clock value 0
        // new time of clock value c: offset_s * 1e9 + floor((offset + c) * 1e9 / FREQUENCY), which is
        // originNs + SHIFT_NS + c * (1e9 / FREQUENCY) to within 2 ns
        long shiftedOrigin = originNs + SHIFT_NS;
        long offsetSeconds = shiftedOrigin / NS_PER_S;
        long offsetCycles = Math.round((shiftedOrigin % NS_PER_S) * (double) FREQUENCY / NS_PER_S);
        String rewritten = metadata.substring(0, clock.start()) + "freq = " + FREQUENCY + ";\n\toffset_s = "
                + offsetSeconds + ";\n\toffset = " + offsetCycles + ";" + metadata.substring(clock.end());
        copyTrace(original, copy);
        Files.writeString(copy.resolve("metadata"), "/* CTF 1.8 */\n" + rewritten, StandardCharsets.ISO_8859_1);
        double rate = (double) NS_PER_S / FREQUENCY;

        AnalysisReport hosta = Lab5SyncTest.report(scenario, "hosta");
        AnalysisReport hostb = Lab5SyncTest.report(scenario, "hostb");
        AnalysisReport moved = NetworkAnalysis.analyze(copy, AnalysisOptions.defaults());
        assertThat(moved.startNs() - originNs)
                .as("the copy's first event moved by the shift and the drift")
                .isCloseTo(Math.round((hostb.startNs() - originNs) * rate) + SHIFT_NS,
                        org.assertj.core.data.Offset.offset(2L));

        ClockSync.Transform before = ClockSync.of(List.of(hosta, hostb)).transforms().get(1);
        ClockSync.Transform after = ClockSync.of(List.of(hosta, moved)).transforms().get(1);
        assertThat(after.quality()).isEqualTo(SyncQuality.ACCURATE);
        assertThat(after.matches()).isEqualTo(before.matches());

        // the slope: reference ns per host ns shrinks by the rate the copy's clock gained
        long span = after.segments().get(0).map().anchorNs() - moved.startNs();
        double slopeTolerance = 2.0 * after.accuracyNs() / Math.max(1, span);
        assertThat(after.slope() * rate).isCloseTo(before.slope(), org.assertj.core.data.Offset.offset(slopeTolerance));
        System.out.printf("rewritten clock: drift %.4f ppm -> %.4f ppm (expected %.4f)%n", before.driftPpm(),
                after.driftPpm(), ((1 + before.map().drift()) / rate - 1) * 1e6);

        // the same instants on both copies' clocks land at the same reference time
        for (long originalNs : new long[] {hostb.startNs(), before.middleNs(), hostb.endNs()}) {
            long movedNs = originNs + SHIFT_NS + Math.round((originalNs - originNs) * rate);
            long expected = before.toReference(originalNs);
            long found = after.toReference(movedNs);
            long tolerance = originalNs == before.middleNs() ? after.accuracyNs() : after.accuracyAtEndsNs();
            assertThat(Math.abs(found - expected)).as("at %d: %d vs %d", originalNs, found, expected)
                    .isLessThanOrEqualTo(tolerance);
            System.out.printf("rewritten clock: at %d the copy lands %d ns from the original (tolerance %d ns)%n",
                    originalNs, found - expected, tolerance);
        }
        // and the contract's numbers say the same: slope * t + offset
        long movedMiddle = originNs + SHIFT_NS + Math.round((before.middleNs() - originNs) * rate);
        double contract = after.slope() * movedMiddle + after.offsetNs();
        assertThat(Math.abs(contract - before.toReference(before.middleNs())))
                .isLessThanOrEqualTo(after.accuracyNs() + 512.0); // a double product of epoch ns is off by ~256 ns
    }

    /** The TSDL text of a metadata file, plain or in LTTng's packets (header of 37 bytes, sizes in bits). */
    static String metadataText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 4 || buffer.getInt(0) != 0x75D11D57) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        StringBuilder text = new StringBuilder();
        int at = 0;
        while (at + 37 <= bytes.length) {
            int contentBits = buffer.getInt(at + 24);
            int packetBits = buffer.getInt(at + 28);
            text.append(new String(bytes, at + 37, contentBits / 8 - 37, StandardCharsets.ISO_8859_1));
            at += packetBits / 8;
        }
        return text.toString();
    }

    static void copyTrace(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
