package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
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
        CompiledTrace.EventClassCounter counter = new CompiledTrace.EventClassCounter();
        List<Trace> traces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<StreamDecoder> decoders = new ArrayList<>();
        try {
            for (Path directory : directories) {
                Path metadataFile = directory.resolve(METADATA);
                TraceClass metadata = metadataSource.parse(metadataFile, warnings);
                Trace trace = new Trace(directory, metadata);
                CompiledTrace compiled = new CompiledTrace(trace, metadataFile, counter);
                traces.add(trace);
                names.add(path.relativize(directory).toString());
                long index = 0;
                for (Path file : streamFiles(directory)) {
                    decoders.add(new StreamDecoder(compiled, file, index++, warnings));
                }
            }
        } catch (RuntimeException e) {
            decoders.forEach(StreamDecoder::close);
            throw e;
        }
        return new MergingReader(traces, decoders, names);
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

    private static TraceClass parseMetadata(Path metadataFile, TraceReader.Warnings warnings) {
        return MetadataParser.parse(metadataFile, warnings);
    }
}
