package org.vnetscope.cli.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.vnetscope.cli.SharedTraces;

/** Opens pages in the system's headless chromium (Debian package {@code chromium}) for tests. */
final class HeadlessChromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The browser on PATH, if any. */
    static Optional<HeadlessChromium> find() {
        String path = SharedTraces.oraclesHidden() ? "" : System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after the page's scripts ran. */
    String dumpDom(Path page, String fragment) throws IOException, InterruptedException {
        return new String(run(page, fragment, "--dump-dom"), StandardCharsets.UTF_8);
    }

    /** A full-page PNG screenshot of the given width and height. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(page, "", "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot " + png);
        }
    }

    private byte[] run(Path page, String fragment, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("vnetscope-chromium");
        try {
            List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--user-data-dir=" + profile));
            command.addAll(List.of(action));
            command.add(page.toUri() + fragment);
            // Output goes to a file so that a hung browser cannot block the test on a pipe.
            Path stdout = profile.resolve("stdout");
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(stdout.toFile())
                    .directory(profile.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("chromium did not finish within 60 s on " + page);
            }
            return Files.readAllBytes(stdout);
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
