package org.vnetscope.ctf.internal.tsdl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;

/** Damaged real metadata must give a one-line CtfException (or parse), quickly, and never anything else. */
class MalformedMetadataTest {

    @TempDir
    Path folder;

    @Test
    void truncatedAndCorruptedMetadataFailsCleanly() throws IOException {
        String traces = System.getProperty("vnetscope.traces");
        Path original = traces == null ? null : Path.of(traces, "lab", "bridge-basic", "trace", "kernel", "metadata");
        Assumptions.assumeTrue(original != null && Files.isRegularFile(original),
                "shared traces absent (system property vnetscope.traces): damaged-metadata test skipped");
        byte[] pristine = Files.readAllBytes(original);
        Random random = new Random(7);
        Path damaged = folder.resolve("metadata");
        int rejected = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bytes = round % 2 == 0 ? Arrays.copyOf(pristine, random.nextInt(pristine.length))
                    : pristine.clone();
            if (round % 2 == 1) {
                bytes[random.nextInt(bytes.length)] = (byte) "{}[]();:=<>.,\"_-0".charAt(random.nextInt(17));
            }
            Files.write(damaged, bytes);
            try {
                MetadataParser.parse(damaged, TraceReader.Warnings.IGNORE);
            } catch (CtfException e) {
                rejected++;
                assertThat(e.getMessage()).startsWith(damaged.toString()).doesNotContain("\n");
                assertThat(e.offset()).isBetween(0L, (long) bytes.length);
            }
        }
        assertThat(rejected).isGreaterThan(200);
    }
}
