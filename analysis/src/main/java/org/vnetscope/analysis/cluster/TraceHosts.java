package org.vnetscope.analysis.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.meta.ClockClass;

/**
 * Which traces belong to which traced host. A host is named by its traces' {@code hostname}; the clock's uuid
 * (LTTng sets it to the kernel's boot id) tells two boots of one host apart, since their clocks are unrelated.
 * A user-space trace joins the kernel trace of the same host and boot (or, its clock unknown, of the same host).
 * Traces that name no host are a host each, named after their folder.
 */
public final class TraceHosts {

    /**
     * One traced host: its name, its clock's uuid (null when no trace gives one) and its trace directories, in the
     * order they were found.
     */
    public record Host(String name, String clockUuid, List<Path> directories) {
        public Host {
            directories = List.copyOf(directories);
        }

        /** This host's traces among those given (a reader's, which {@link #of} grouped), in its directories' order. */
        public List<Trace> tracesAmong(List<Trace> traces) {
            List<Trace> mine = new ArrayList<>(directories.size());
            for (Path directory : directories) {
                for (Trace trace : traces) {
                    if (trace.directory().equals(directory)) {
                        mine.add(trace);
                        break;
                    }
                }
            }
            return mine;
        }
    }

    private TraceHosts() {
    }

    /** The hosts of a set of traces, in the order of their first trace. */
    public static List<Host> of(List<Trace> traces) {
        Map<List<Object>, Builder> hosts = new LinkedHashMap<>();
        List<Trace> userSpace = new ArrayList<>();
        for (Trace trace : traces) {
            if (!"kernel".equals(domain(trace)) && trace.hostname() != null) {
                userSpace.add(trace);
                continue;
            }
            List<Object> key = trace.hostname() == null
                    ? List.of("", trace.directory().toString())
                    : List.of(trace.hostname(), Objects.toString(clockUuid(trace), ""));
            hosts.computeIfAbsent(key, k -> new Builder(trace)).directories.add(trace.directory());
        }
        for (Trace trace : userSpace) {
            Builder home = hosts.values().stream()
                    .filter(host -> trace.hostname().equals(host.hostname)
                            && Objects.equals(clockUuid(trace), host.clockUuid))
                    .findFirst()
                    .orElseGet(() -> hosts.values().stream()
                            .filter(host -> trace.hostname().equals(host.hostname)).findFirst().orElse(null));
            if (home == null) {
                home = hosts.computeIfAbsent(List.of(trace.hostname(), Objects.toString(clockUuid(trace), "")),
                        k -> new Builder(trace));
            }
            home.directories.add(trace.directory());
        }
        List<Host> result = new ArrayList<>();
        Map<String, Integer> boots = new LinkedHashMap<>();
        for (Builder host : hosts.values()) {
            String name = host.hostname != null ? host.hostname : folderName(host.directories.get(0));
            // A second boot of the same host is another clock: a host of its own, told apart by its rank. Names
            // are told apart regardless of case (hostA and hosta), as host names are, and as the folders of
            // tables partitioned by host must be on file systems that ignore case.
            int boot = boots.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
            result.add(new Host(boot == 1 ? name : name + "#" + boot, host.clockUuid, host.directories));
        }
        return result;
    }

    /** The uuid of the clock a trace's events are stamped with (the first clock that has one), or null. */
    public static String clockUuid(Trace trace) {
        for (ClockClass clock : trace.metadata().clocks().values()) {
            if (clock.uuid() != null) {
                return clock.uuid().toString();
            }
        }
        return null;
    }

    private static String domain(Trace trace) {
        Object domain = trace.metadata().env().get("domain");
        return domain == null ? "kernel" : domain.toString();
    }

    /** LTTng's {@code host-session/kernel} or {@code host/trace/kernel}: the first folder that is not LTTng's. */
    static String folderName(Path directory) {
        Path path = directory.toAbsolutePath().normalize();
        while (path.getFileName() != null && path.getFileName().toString().matches("kernel|trace|ust|uid|pid|\\d+|64-bit|32-bit")) {
            path = path.getParent();
        }
        return path.getFileName() == null ? directory.toString() : path.getFileName().toString();
    }

    private static final class Builder {
        final String hostname;
        final String clockUuid;
        final List<Path> directories = new ArrayList<>();

        Builder(Trace first) {
            this.hostname = first.hostname();
            this.clockUuid = clockUuid(first);
        }
    }
}
