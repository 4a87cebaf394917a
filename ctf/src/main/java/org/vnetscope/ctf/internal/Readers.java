package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
        List<Trace> traces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<StreamDecoder> decoders = new ArrayList<>();
        // Metadata parsing and plan compilation are the costly part of opening many traces, and each trace's is
        // independent; event class indexes stay those of a sequential count in trace order.
        List<TraceClass> parsed = inParallelIfMany(directories,
                directory -> metadataSource.parse(directory.resolve(METADATA), warnings));
        int[] firstClassIndex = new int[directories.size()];
        for (int i = 1; i < directories.size(); i++) {
            firstClassIndex[i] = firstClassIndex[i - 1] + parsed.get(i - 1).streams().values().stream()
                    .mapToInt(stream -> stream.events().size()).sum();
        }
        List<CompiledTrace> compiled = inParallelIfMany(IntStream.range(0, directories.size()).boxed().toList(),
                i -> new CompiledTrace(new Trace(directories.get(i), parsed.get(i)),
                        directories.get(i).resolve(METADATA), new CompiledTrace.EventClassCounter(firstClassIndex[i])));
        try {
            for (int i = 0; i < directories.size(); i++) {
                Path directory = directories.get(i);
                traces.add(compiled.get(i).trace);
                names.add(path.relativize(directory).toString());
                List<StreamDecoder> files = new ArrayList<>();
                try {
                    for (Path file : streamFiles(directory)) {
                        files.add(new StreamDecoder(compiled.get(i), file, warnings));
                    }
                } catch (RuntimeException e) {
                    files.forEach(StreamDecoder::close);
                    throw e;
                }
                decoders.addAll(streams(files));
            }
        } catch (RuntimeException e) {
            decoders.forEach(StreamDecoder::close);
            throw e;
        }
        return new MergingReader(traces, decoders, names);
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
     * Applies {@code step} to every item, in parallel when there are several; when some fail, the error of the
     * first failing item in list order is thrown, whichever thread finished first, so that a set of traces always
     * reports the same one.
     */
    private static <T, R> List<R> inParallelIfMany(List<T> items, java.util.function.Function<T, R> step) {
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
        for (Object outcome : outcomes) {
            if (outcome instanceof Failure failure) {
                throw failure.error();
            }
            @SuppressWarnings("unchecked")
            R result = (R) outcome;
            results.add(result);
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
    private static TraceClass parseMetadata(Path metadataFile, TraceReader.Warnings warnings) {
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
