package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.internal.ctf2.Ctf2MetadataParser;
import org.vnetscope.ctf.internal.tsdl.MetadataParser;
import org.vnetscope.ctf.meta.TraceClass;

/** Entry point from the public API to the reader implementation: finds traces and their stream files. */
public final class Readers {
    private static final String METADATA = "metadata";

    private Readers() {
    }

    /** Reads a trace's metadata file into its classes. */
    @FunctionalInterface
    interface MetadataSource {
        TraceClass parse(Path metadataFile, TraceReader.Warnings warnings);
    }

    public static TraceReader open(Path path, TraceReader.Warnings warnings) {
        return open(path, warnings, Readers::parseMetadata);
    }

    static TraceReader open(Path path, TraceReader.Warnings warnings, MetadataSource metadataSource) {
        return open(path, find(path), warnings, metadataSource);
    }

    /** The trace directories under each path (a trace directory or a folder of them), read as one set. */
    public static TraceReader open(List<Path> paths, TraceReader.Warnings warnings) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no trace to open");
        }
        List<Path> directories = new ArrayList<>();
        for (Path path : paths) {
            for (Path found : find(path)) {
                if (!directories.contains(found)) {
                    directories.add(found);
                }
            }
        }
        return open(commonParent(directories), directories, warnings, Readers::parseMetadata);
    }

    /** As {@link #open(List, TraceReader.Warnings)} the traces' directories, with the metadata they hold. */
    public static TraceReader openTraces(List<Trace> traces, TraceReader.Warnings warnings) {
        if (traces.isEmpty()) {
            throw new IllegalArgumentException("no trace to open");
        }
        List<Path> directories = new ArrayList<>();
        Map<Path, TraceClass> parsed = new HashMap<>();
        for (Trace trace : traces) {
            if (!directories.contains(trace.directory())) {
                directories.add(trace.directory());
                parsed.put(trace.directory().resolve(METADATA), trace.metadata());
            }
        }
        // the directories' metadata files are those the traces were read from: every one is in the map
        return open(commonParent(directories), directories, warnings,
                (metadataFile, unused) -> parsed.get(metadataFile));
    }

    /**
     * The trace directories a path holds: itself when it holds a metadata file, else those found in its
     * sub-folders, in name order.
     *
     * @throws CtfException when the path does not exist or holds no trace
     */
    public static List<Path> find(Path path) {
        if (!Files.exists(path)) {
            throw new CtfException(path, -1, "no such file or directory");
        }
        List<Path> directories = new ArrayList<>();
        try {
            discover(path, directories);
        } catch (IOException | UncheckedIOException e) {
            throw new CtfException(path, -1, "cannot list directory: " + e.getMessage(), e);
        }
        if (directories.isEmpty()) {
            throw new CtfException(path, -1, "no CTF trace found (no directory holds a metadata file)");
        }
        return directories;
    }

    private static Path commonParent(List<Path> directories) {
        Path common = directories.get(0).toAbsolutePath().normalize();
        for (Path directory : directories) {
            Path absolute = directory.toAbsolutePath().normalize();
            while (common != null && !absolute.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common;
    }

    private static String relativeName(Path base, Path directory) {
        if (base == null) {
            return directory.toString();
        }
        Path absoluteBase = base.toAbsolutePath().normalize();
        Path absolute = directory.toAbsolutePath().normalize();
        return absolute.startsWith(absoluteBase) ? absoluteBase.relativize(absolute).toString() : directory.toString();
    }

    private static TraceReader open(Path path, List<Path> directories, TraceReader.Warnings warnings,
            MetadataSource metadataSource) {
        TraceReader.Warnings once = once(warnings);
        PlanCompiler.Interned plans = new PlanCompiler.Interned();
        // Each trace is opened on its own (metadata parsed, plans compiled, stream files opened): the costly part
        // of opening many traces, done in parallel. Event class indexes are then those of a count in trace order.
        List<OpenedTrace> opened = inParallelIfMany(directories, directory -> {
            Path metadata = directory.resolve(METADATA);
            CompiledTrace compiled = new CompiledTrace(new Trace(directory, metadataSource.parse(metadata, once)),
                    metadata, new CompiledTrace.EventClassCounter(), plans);
            return new OpenedTrace(compiled, decoders(compiled, streamFiles(directory), once));
        }, trace -> trace.decoders().forEach(StreamDecoder::close));
        int firstClassIndex = 0;
        for (OpenedTrace trace : opened) {
            firstClassIndex += trace.compiled().numberEventClassesFrom(firstClassIndex);
        }
        return new MergingReader(opened.stream().map(trace -> trace.compiled().trace).toList(),
                opened.stream().flatMap(trace -> trace.decoders().stream()).toList(),
                directories.stream().map(directory -> relativeName(path, directory)).toList());
    }

    private record OpenedTrace(CompiledTrace compiled, List<StreamDecoder> decoders) {
    }

    /** The streams of a trace's files, each file opened at its first packet. */
    private static List<StreamDecoder> decoders(CompiledTrace compiled, List<Path> files, TraceReader.Warnings warnings) {
        List<StreamDecoder> opened = new ArrayList<>();
        try {
            for (Path file : files) {
                opened.add(new StreamDecoder(compiled, file, warnings));
            }
        } catch (RuntimeException e) {
            opened.forEach(StreamDecoder::close);
            throw e;
        }
        return streams(opened);
    }

    /**
     * Gives each message once: the parts of a split reader both decode the events around a cut, and would repeat
     * what they say of them (timestamps going backwards).
     */
    private static TraceReader.Warnings once(TraceReader.Warnings warnings) {
        Set<String> given = ConcurrentHashMap.newKeySet();
        return message -> {
            if (given.add(message)) {
                warnings.warn(message);
            }
        };
    }

    /**
     * The streams of one trace's files, grouped as babeltrace2 groups them: files whose first packet has the same
     * stream class and stream_instance_id, and a timestamp_begin to order them by, are one stream LTTng rotated
     * over several files ({@code --tracefile-size}), read one after the other from the earliest. A file without
     * a stream_instance_id or a timestamp_begin is a stream of its own. File names are not relied on: with
     * {@code --tracefile-count}, LTTng reuses the oldest names for the newest data.
     */
    private static List<StreamDecoder> streams(List<StreamDecoder> files) {
        Map<List<Long>, List<StreamDecoder>> groups = new LinkedHashMap<>();
        List<StreamDecoder> streams = new ArrayList<>();
        for (StreamDecoder file : files) {
            if (file.file.streamInstanceId() >= 0 && file.firstPacketBeginNs != StreamDecoder.NO_TIME) {
                List<StreamDecoder> group = groups.computeIfAbsent(
                        List.of(file.file.streamClassId(), file.file.streamInstanceId()), key -> new ArrayList<>());
                if (group.isEmpty()) {
                    streams.add(file);
                }
                group.add(file);
            } else {
                streams.add(file);
            }
        }
        List<StreamDecoder> result = new ArrayList<>(streams.size());
        long rank = 0;
        for (StreamDecoder stream : streams) {
            List<StreamDecoder> group = groups.get(List.of(stream.file.streamClassId(), stream.file.streamInstanceId()));
            if (group != null && group.get(0) == stream && group.size() > 1) {
                // Stable: files that begin at the same time keep their name order.
                group.sort(Comparator.comparingLong(decoder -> decoder.firstPacketBeginNs));
                group.get(0).continueWith(group.subList(1, group.size()));
                stream = group.get(0);
            }
            if (stream.file.streamInstanceId() < 0) {
                // babeltrace2 numbers the streams without an instance id in their order.
                stream.streamIdForOrder = rank++;
            }
            result.add(stream);
        }
        return result;
    }

    /**
     * Applies {@code step} to every item, in parallel when there are several; when some fail, what the others
     * made is released and the error of the first failing item in list order is thrown, whichever thread finished
     * first, so that a set of traces always reports the same one.
     */
    private static <T, R> List<R> inParallelIfMany(List<T> items, java.util.function.Function<T, R> step,
            java.util.function.Consumer<R> release) {
        if (items.size() <= 1) {
            return items.stream().map(step).toList();
        }
        List<Object> outcomes = items.parallelStream().map(item -> {
            try {
                return (Object) step.apply(item);
            } catch (RuntimeException e) {
                return new Failure(e);
            }
        }).toList();
        List<R> results = new ArrayList<>(outcomes.size());
        RuntimeException first = null;
        for (Object outcome : outcomes) {
            if (outcome instanceof Failure failure) {
                first = first == null ? failure.error() : first;
            } else {
                @SuppressWarnings("unchecked")
                R result = (R) outcome;
                results.add(result);
            }
        }
        if (first != null) {
            results.forEach(release);
            throw first;
        }
        return results;
    }

    private record Failure(RuntimeException error) {
    }

    /** A directory holding {@code metadata} is a trace; otherwise its sub-directories are searched, in name order. */
    private static void discover(Path directory, List<Path> found) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        if (Files.isRegularFile(directory.resolve(METADATA))) {
            found.add(directory);
            return;
        }
        List<Path> children;
        try (Stream<Path> listing = Files.list(directory)) {
            children = listing.filter(Files::isDirectory)
                    .filter(child -> !child.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        for (Path child : children) {
            discover(child, found);
        }
    }

    /**
     * Every regular file of the trace directory but the metadata, hidden and empty files (babeltrace2 skips those
     * too), in name order. LTTng's {@code index/} is a directory, so it is not one of them.
     */
    private static List<Path> streamFiles(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(Files::isRegularFile)
                    .filter(file -> {
                        String name = file.getFileName().toString();
                        return !name.equals(METADATA) && !name.startsWith(".") && !isEmpty(file);
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new CtfException(directory, -1, "cannot list trace directory: " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            return false; // opening it reports the problem
        }
    }

    /** CTF 2 metadata starts with a record separator; CTF 1.8 metadata with text or a packet magic number. */
    static TraceClass parseMetadata(Path metadataFile, TraceReader.Warnings warnings) {
        int first;
        try (java.io.InputStream in = Files.newInputStream(metadataFile)) {
            first = in.read();
        } catch (IOException e) {
            throw new CtfException(metadataFile, -1, "cannot read metadata: " + e.getMessage(), e);
        }
        return Ctf2MetadataParser.isCtf2(first) ? Ctf2MetadataParser.parse(metadataFile)
                : MetadataParser.parse(metadataFile, warnings);
    }
}
