package org.vnetscope.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vnetscope record}: an LTTng kernel session with every event and context the analyses read, the same
 * recipe that recorded the lab traces (one discard-mode channel, the net/netif/napi/skb/statedump families,
 * contexts procname, tid, pid and net_ns), plus the bridge FDB and Open vSwitch probes when lttng offers them.
 */
@Command(name = "record",
        mixinStandardHelpOptions = true,
        description = {"Records an LTTng kernel trace with every event and context vnetscope analyses, for a duration",
                "or until Ctrl-C. Needs lttng-tools, the LTTng kernel modules, and root (or the tracing group)."},
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope record --duration 30s --output /tmp/host-trace",
                "  vnetscope record --dry-run > record.sh      # the exact lttng commands, to review or run by hand",
                "  vnetscope record --output /tmp/busy --subbuf-size 4M --num-subbuf 8   # a busy host: bigger buffers"})
public final class RecordCommand implements Callable<Integer> {

    /** Event families every analysis reads; wildcards cover both the old and the new event names. */
    static final List<String> EVENT_PATTERNS = List.of("net_*", "netif_*", "napi_*", "skb_*", "lttng_statedump_*");
    /** Bridge forwarding-database tracepoints: not in stock lttng-modules, enabled when a probe offers them. */
    static final List<String> FDB_EVENTS = List.of("br_fdb_update", "br_fdb_add", "br_fdb_external_learn_add", "fdb_delete");
    static final List<String> CONTEXTS = List.of("procname", "tid", "pid", "net_ns");

    private static final Pattern LISTED_EVENT = Pattern.compile("^\\s+([A-Za-z0-9_]+) \\(loglevel");
    private static final Pattern DISCARDED = Pattern.compile("Discarded events:\\s*(\\d+)");

    @Spec
    private CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "where lttng writes the trace (default: vnetscope-trace-DATE-TIME in the current directory)")
    private Path output;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "how long to record, e.g. 30s, 5m, 1h, 500ms (default: until Ctrl-C)")
    private Duration duration;

    @Option(names = "--dry-run", description = "print the lttng commands instead of running them")
    private boolean dryRun;

    @Option(names = "--session", paramLabel = "NAME", description = "LTTng session name (default: vnetscope-DATE-TIME)")
    private String session;

    @Option(names = "--channel", paramLabel = "NAME", defaultValue = "vnetscope", description = "channel name (default: ${DEFAULT-VALUE})")
    private String channel;

    @Option(names = "--subbuf-size", paramLabel = "SIZE", defaultValue = "1M",
            description = "sub-buffer size per CPU, lttng syntax (default: ${DEFAULT-VALUE}); raise it when events are lost")
    private String subbufSize;

    @Option(names = "--num-subbuf", paramLabel = "N", defaultValue = "16", description = "sub-buffers per CPU (default: ${DEFAULT-VALUE})")
    private int subbufCount;

    private final Map<String, String> environment;
    private final BooleanSupplier runningAsRoot;

    public RecordCommand() {
        this(System.getenv(), RecordCommand::effectiveUidIsRoot);
    }

    /** For tests: a chosen PATH (a fake lttng) and a chosen answer to "are we root?". */
    RecordCommand(Map<String, String> environment, BooleanSupplier runningAsRoot) {
        this.environment = environment;
        this.runningAsRoot = runningAsRoot;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String name = session != null ? session : "vnetscope-" + stamp;
        Path dir = (output != null ? output : Path.of("vnetscope-trace-" + stamp)).toAbsolutePath().normalize();
        Optional<Path> lttng = findOnPath("lttng");

        if (dryRun) {
            Set<String> offered = Set.of();
            if (lttng.isPresent()) {
                ProcessOutput list = run(lttng.get(), List.of("list", "-k"));
                offered = list.exitCode == 0 ? offeredEvents(list.stdout) : Set.of();
            }
            if (offered.isEmpty()) {
                err.println("vnetscope: note: could not ask lttng which kernel events it offers (run as root with lttng"
                        + " installed); bridge FDB events are left out");
            }
            for (List<String> command : setupCommands(name, dir, offered)) {
                out.println(shellLine(command));
            }
            if (duration != null) {
                out.println("sleep " + Math.max(1, (duration.toMillis() + 999) / 1000));
            }
            for (List<String> command : teardownCommands(name)) {
                out.println(shellLine(command));
            }
            return 0;
        }

        if (lttng.isEmpty()) {
            return fail(err, "lttng not found on PATH: install lttng-tools and the LTTng kernel modules"
                    + " (Debian: apt-get install lttng-tools lttng-modules-dkms)");
        }
        ProcessOutput list = run(lttng.get(), List.of("list", "-k"));
        if (list.exitCode != 0) {
            String why = firstLine(list.stderr.isBlank() ? list.stdout : list.stderr);
            if (!runningAsRoot.getAsBoolean()) {
                return fail(err, "kernel tracing needs root (or membership of the tracing group): run it with sudo"
                        + (why.isEmpty() ? "" : " (lttng: " + why + ")"));
            }
            return fail(err, "`lttng list -k` failed: the LTTng kernel modules are missing or not loaded"
                    + " (install lttng-modules-dkms for this kernel, then restart lttng-sessiond)"
                    + (why.isEmpty() ? "" : " (lttng: " + why + ")"));
        }
        Set<String> offered = offeredEvents(list.stdout);
        if (offered.stream().noneMatch(e -> e.startsWith("net_") || e.startsWith("netif_"))) {
            return fail(err, "the LTTng kernel modules offer no network events (net_*, netif_*): is lttng-probe-net loaded?");
        }
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            return fail(err, dir + " already exists and is not empty: choose another --output");
        }

        Recording recording = new Recording(lttng.get(), name, err);
        for (List<String> command : setupCommands(name, dir, offered)) {
            if (!recording.runSetup(command)) {
                return 1;
            }
        }
        Thread onInterrupt = new Thread(recording::finish, "vnetscope-record-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        if (duration != null) {
            err.println("vnetscope: recording for " + duration.toString().substring(2).toLowerCase() + " into " + dir);
            Thread.sleep(duration.toMillis());
        } else {
            err.println("vnetscope: recording into " + dir + "; press Ctrl-C to stop");
            new java.util.concurrent.CountDownLatch(1).await();
        }
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
        recording.finish();
        err.println("vnetscope: trace written to " + dir.resolve("kernel") + "; next: vnetscope analyze " + dir.resolve("kernel"));
        return recording.failed ? 1 : 0;
    }

    /** The commands up to {@code lttng start}, with the FDB and OVS probes when the kernel offers them. */
    List<List<String>> setupCommands(String name, Path dir, Set<String> offered) {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("lttng", "create", name, "--output=" + dir));
        commands.add(List.of("lttng", "enable-channel", "--kernel", "--session=" + name, "--discard",
                "--subbuf-size=" + subbufSize, "--num-subbuf=" + subbufCount, channel));
        List<String> patterns = new ArrayList<>(EVENT_PATTERNS);
        if (offered.stream().anyMatch(e -> e.startsWith("ovs_"))) {
            patterns.add("ovs_*");
        }
        for (String pattern : patterns) {
            commands.add(List.of("lttng", "enable-event", "--kernel", "--session=" + name, "--channel=" + channel, pattern));
        }
        List<String> fdb = FDB_EVENTS.stream().filter(offered::contains).toList();
        if (!fdb.isEmpty()) {
            commands.add(List.of("lttng", "enable-event", "--kernel", "--session=" + name, "--channel=" + channel,
                    String.join(",", fdb)));
        }
        List<String> context = new ArrayList<>(List.of("lttng", "add-context", "--kernel", "--session=" + name,
                "--channel=" + channel));
        CONTEXTS.forEach(c -> context.addAll(List.of("--type=" + c)));
        commands.add(context);
        commands.add(List.of("lttng", "start", name));
        return commands;
    }

    static List<List<String>> teardownCommands(String name) {
        return List.of(List.of("lttng", "stop", name), List.of("lttng", "destroy", name));
    }

    static Set<String> offeredEvents(String listOutput) {
        Set<String> events = new LinkedHashSet<>();
        for (String line : listOutput.split("\n")) {
            Matcher m = LISTED_EVENT.matcher(line);
            if (m.find()) {
                events.add(m.group(1));
            }
        }
        return events;
    }

    /** Quotes what a POSIX shell would otherwise expand (the wildcards) or split. */
    static String shellLine(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (String word : command) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word.matches("[A-Za-z0-9_@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** The session once created: stopped and destroyed exactly once, at the end or on Ctrl-C. */
    private final class Recording {
        private final Path lttng;
        private final String name;
        private final PrintWriter err;
        private boolean created;
        private boolean finished;
        private volatile boolean failed;

        Recording(Path lttng, String name, PrintWriter err) {
            this.lttng = lttng;
            this.name = name;
            this.err = err;
        }

        boolean runSetup(List<String> command) throws IOException, InterruptedException {
            ProcessOutput result = run(lttng, command.subList(1, command.size()));
            if (result.exitCode != 0 && command.contains("--type=net_ns")) {
                // lttng-modules before 2.11 has no net_ns context: record without it, the analyses then rely on links.
                List<String> withoutNetns = new ArrayList<>(command);
                withoutNetns.remove("--type=net_ns");
                result = run(lttng, withoutNetns.subList(1, withoutNetns.size()));
                if (result.exitCode == 0) {
                    err.println("vnetscope: warning: this lttng has no net_ns context; namespaces will be told apart by links only");
                }
            }
            if (result.exitCode != 0) {
                fail(err, "`" + shellLine(command) + "` failed: " + firstLine(result.stderr.isBlank() ? result.stdout : result.stderr));
                if (created) {
                    run(lttng, List.of("destroy", name));
                }
                return false;
            }
            created |= command.get(1).equals("create");
            return true;
        }

        synchronized void finish() {
            if (finished || !created) {
                return;
            }
            finished = true;
            try {
                ProcessOutput stop = run(lttng, List.of("stop", name));
                ProcessOutput status = run(lttng, List.of("list", name));
                long discarded = 0;
                Matcher m = DISCARDED.matcher(status.stdout);
                while (m.find()) {
                    discarded += Long.parseLong(m.group(1));
                }
                if (discarded > 0) {
                    err.println("vnetscope: warning: the tracer discarded " + discarded
                            + " events; record again with a larger --subbuf-size or --num-subbuf");
                }
                ProcessOutput destroy = run(lttng, List.of("destroy", name));
                if (stop.exitCode != 0 || destroy.exitCode != 0) {
                    failed = true;
                    err.println("vnetscope: error: stopping session " + name + " failed: "
                            + firstLine(stop.exitCode != 0 ? stop.stderr : destroy.stderr));
                }
            } catch (IOException | InterruptedException e) {
                failed = true;
                err.println("vnetscope: error: stopping session " + name + " failed: " + e.getMessage());
            }
            err.flush();
        }
    }

    private record ProcessOutput(int exitCode, String stdout, String stderr) {
    }

    private ProcessOutput run(Path executable, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        Path stdout = Files.createTempFile("vnetscope-lttng", ".out");
        Path stderr = Files.createTempFile("vnetscope-lttng", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().put("PATH", environment.getOrDefault("PATH", ""));
            Process process = builder.start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new ProcessOutput(-1, "", "timed out after 2 minutes");
            }
            return new ProcessOutput(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    private Optional<Path> findOnPath(String program) {
        for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int fail(PrintWriter err, String message) {
        err.println("vnetscope: error: " + message);
        err.flush();
        return 1;
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("").strip();
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Root is effective uid 0; read from /proc because Java has no portable getuid. */
    private static boolean effectiveUidIsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // No /proc: fall through to the user name.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** "30s", "5m", "1h", "500ms", or plain seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern TIME = Pattern.compile("(\\d+)(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            Matcher m = TIME.matcher(value.trim());
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 30s, 5m, 1h or 500ms");
            }
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
    }
}
