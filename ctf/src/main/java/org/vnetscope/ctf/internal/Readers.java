package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    private static final String INDEX = "index";

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
                long index = 0;
                for (Path file : streamFiles(directory)) {
                    decoders.add(new StreamDecoder(compiled.get(i), file, index++, warnings));
                }
            }
        } catch (RuntimeException e) {
            decoders.forEach(StreamDecoder::close);
            throw e;
        }
        return new MergingReader(traces, decoders, names);
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

    /** Every regular file of the trace directory but the metadata and hidden files, in name order. */
    private static List<Path> streamFiles(Path directory) {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(Files::isRegularFile)
                    .filter(file -> {
                        String name = file.getFileName().toString();
                        return !name.equals(METADATA) && !name.startsWith(".") && !name.equals(INDEX);
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new CtfException(directory, -1, "cannot list trace directory: " + e.getMessage(), e);
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
