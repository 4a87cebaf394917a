package org.vnetscope.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;

/**
 * Traces of a Hadoop file system (HDFS, S3A, ...) copied into a local folder, since the project's reader maps local
 * files: whole, for a task that analyses them, or only their metadata files, for the driver that groups them into
 * hosts. A location {@code scheme://authority/a/b} is copied to {@code <folder>/<n>/a/b}, its whole path kept (a
 * trace without a hostname is a host named after its folders) and {@code n} the file system's rank among those
 * copied from. A task that reads a time range copies only what a read of it needs ({@link #copyTracesOver}). The
 * folder is one of Spark's local folders ({@code spark.local.dir}) and is deleted on close.
 */
final class LocalCopy implements AutoCloseable {

    /** The file LTTng (and CTF) names a trace's metadata: the folder holding it is a trace. */
    private static final String METADATA = "metadata";

    private final Path root;
    /** The file systems copied from, by rank: their scheme and authority (null when none). */
    private final List<List<String>> fileSystems = new ArrayList<>();
    private long bytesCopied;
    private long bytesOfStreams;

    private LocalCopy(Path root) {
        this.root = root;
    }

    /** An empty copy in a folder of its own under Spark's local folders (else the temporary folder). */
    static LocalCopy create() {
        Path parent = scratchParent();
        try {
            Files.createDirectories(parent);
            return new LocalCopy(Files.createTempDirectory(parent, "vnetscope-traces-").toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException(parent + ": cannot create a folder for copies of the traces: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Where Spark keeps its own scratch files on this machine: what a cluster manager gives the executors
     * ({@code SPARK_EXECUTOR_DIRS}, {@code SPARK_LOCAL_DIRS}, YARN's {@code LOCAL_DIRS}), else
     * {@code spark.local.dir}, else the temporary folder, as Spark itself chooses; the first of several.
     */
    static Path scratchParent() {
        String executorDirs = System.getenv("SPARK_EXECUTOR_DIRS");
        if (executorDirs != null && !executorDirs.isBlank()) {
            return Path.of(executorDirs.split(java.io.File.pathSeparator)[0]);
        }
        for (String variable : List.of("SPARK_LOCAL_DIRS", "LOCAL_DIRS")) {
            String dirs = System.getenv(variable);
            if (dirs != null && !dirs.isBlank()) {
                return Path.of(dirs.split(",")[0].trim());
            }
        }
        SparkEnv env = SparkEnv.get();
        SparkConf conf = env != null ? env.conf() : new SparkConf();
        String configured = conf.get("spark.local.dir", System.getProperty("java.io.tmpdir"));
        return Path.of(configured.split(",")[0].trim());
    }

    /** The folder the copies are in. */
    Path root() {
        return root;
    }

    /** Whether a location names a file system other than the local one (whose files are read in place). */
    static boolean isRemote(String location) {
        String scheme = new org.apache.hadoop.fs.Path(location).toUri().getScheme();
        return scheme != null && !scheme.equals("file");
    }

    /**
     * Copies the traces under a location as the reader finds them (a folder holding {@code metadata} is a trace,
     * else its sub-folders not starting with a dot are looked into, in name order): each trace folder whole (its
     * stream files, {@code index/}), or its metadata file alone. Returns where the location's copy is.
     *
     * @throws IOException naming the location when it does not exist, holds no trace or cannot be read
     */
    Path copyTraces(String location, Configuration hadoop, boolean metadataOnly) throws IOException {
        return copyTraces(location, hadoop, metadataOnly ? Extent.METADATA : Extent.WHOLE, Long.MIN_VALUE,
                Long.MAX_VALUE);
    }

    /**
     * As {@link #copyTraces(String, Configuration, boolean)}, each trace only as far as a read of [beginNs, endNs]
     * needs it: its metadata and index files whole, of each stream file that has an index the bytes the index tells
     * such a read goes through ({@link TraceReader#bytesOver}), the rest of the file left a hole; a stream file
     * without an index whole.
     */
    Path copyTracesOver(String location, Configuration hadoop, long beginNs, long endNs) throws IOException {
        return copyTraces(location, hadoop, Extent.RANGE, beginNs, endNs);
    }

    /**
     * Of each trace, what opening it reads: the metadata and index files, and the first packets of each stream file
     * (the rest a hole), from which a reader tells the trace's start ({@link TraceReader#startNs}), the day a time of
     * day falls on. Null when a stream file has no usable index (its first packet's size then unknown here).
     */
    Path copyStarts(String location, Configuration hadoop) throws IOException {
        try {
            return copyTraces(location, hadoop, Extent.START, Long.MIN_VALUE, Long.MIN_VALUE);
        } catch (WithoutIndex e) {
            return null;
        }
    }

    /** How much of each trace a copy takes. */
    private enum Extent { METADATA, START, RANGE, WHOLE }

    /** A stream file without a usable index, where only the start of a trace was to be copied. */
    private static final class WithoutIndex extends IOException {
        WithoutIndex() {
            super(null, null);
        }
    }

    private Path copyTraces(String location, Configuration hadoop, Extent extent, long beginNs, long endNs)
            throws IOException {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        FileSystem files = fileSystemOf(location, hadoop);
        org.apache.hadoop.fs.Path qualified = files.makeQualified(path);
        Path local = localOf(qualified);
        int traces;
        try {
            traces = copyTraces(files, qualified, local, extent, beginNs, endNs);
        } catch (FileNotFoundException e) {
            throw new IOException(location + ": no such file or directory", e);
        } catch (WithoutIndex e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(location + ": cannot copy: " + e.getMessage(), e);
        }
        if (traces == 0) {
            throw new IOException(location + ": no CTF trace found (no directory holds a metadata file)");
        }
        return local;
    }

    /**
     * The file system of a location.
     *
     * @throws IOException naming the location when Hadoop has no file system for its scheme (its connector, such as
     *                     hadoop-aws for s3a, is not on the class path) or cannot reach it
     */
    static FileSystem fileSystemOf(String location, Configuration hadoop) throws IOException {
        try {
            return new org.apache.hadoop.fs.Path(location).getFileSystem(hadoop);
        } catch (IOException | RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IOException(location + ": cannot reach its file system: " + cause.getMessage(), e);
        }
    }

    private int copyTraces(FileSystem files, org.apache.hadoop.fs.Path folder, Path local, Extent extent,
                           long beginNs, long endNs) throws IOException {
        FileStatus status = files.getFileStatus(folder);
        if (!status.isDirectory()) {
            return 0;
        }
        FileStatus[] children = files.listStatus(folder);
        Arrays.sort(children, Comparator.comparing(child -> child.getPath().getName()));
        boolean trace = Arrays.stream(children)
                .anyMatch(child -> child.isFile() && child.getPath().getName().equals(METADATA));
        if (trace) {
            switch (extent) {
                case METADATA -> copyFile(files, new org.apache.hadoop.fs.Path(folder, METADATA), local.resolve(METADATA));
                case WHOLE -> copyFolder(files, children, local);
                case START, RANGE -> copyTraceOver(files, children, local, beginNs, endNs, extent == Extent.START);
            }
            return 1;
        }
        int traces = 0;
        for (FileStatus child : children) {
            if (child.isDirectory() && !child.getPath().getName().startsWith(".")) {
                traces += copyTraces(files, child.getPath(), local.resolve(child.getPath().getName()), extent, beginNs,
                        endNs);
            }
        }
        return traces;
    }

    /** A trace folder's files as a read of [beginNs, endNs] needs them (see {@link #copyTracesOver}). */
    private void copyTraceOver(FileSystem files, FileStatus[] children, Path local, long beginNs, long endNs,
                               boolean indexedOnly) throws IOException {
        Files.createDirectories(local);
        Map<String, Long> streamSizes = new LinkedHashMap<>();
        List<FileStatus> streams = new ArrayList<>();
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (child.isDirectory()) {
                copyFolder(files, files.listStatus(child.getPath()), local.resolve(name)); // index/
            } else if (name.equals(METADATA)) {
                copyFile(files, child.getPath(), local.resolve(name));
            } else {
                streamSizes.put(name, child.getLen());
                streams.add(child);
            }
        }
        Map<String, long[]> needed;
        try {
            needed = TraceReader.bytesOver(local, streamSizes, beginNs, endNs);
        } catch (CtfException e) {
            needed = Map.of(); // the reader will say what is wrong with the metadata
        }
        for (FileStatus stream : streams) {
            String name = stream.getPath().getName();
            long[] ranges = needed.get(name);
            if (ranges == null && indexedOnly) {
                throw new WithoutIndex();
            }
            if (ranges == null) {
                copyFile(files, stream.getPath(), local.resolve(name));
                bytesCopied += stream.getLen();
            } else {
                copyRanges(files, stream.getPath(), local.resolve(name), stream.getLen(), ranges);
            }
            bytesOfStreams += stream.getLen();
        }
    }

    /** Of a file, the bytes of the ranges (offset, length pairs) at their places; the rest a hole of its size. */
    private void copyRanges(FileSystem files, org.apache.hadoop.fs.Path from, Path to, long size, long[] ranges)
            throws IOException {
        byte[] buffer = new byte[1 << 20];
        try (FSDataInputStream in = files.open(from);
             RandomAccessFile out = new RandomAccessFile(to.toFile(), "rw")) {
            out.setLength(size);
            for (int i = 0; i < ranges.length; i += 2) {
                in.seek(ranges[i]);
                out.seek(ranges[i]);
                for (long left = ranges[i + 1]; left > 0; ) {
                    int chunk = (int) Math.min(buffer.length, left);
                    in.readFully(buffer, 0, chunk);
                    out.write(buffer, 0, chunk);
                    left -= chunk;
                }
                bytesCopied += ranges[i + 1];
            }
        }
    }

    /** Of the stream files copied over a range, the bytes copied and their sizes: how much of them was needed. */
    long bytesCopied() {
        return bytesCopied;
    }

    long bytesOfStreams() {
        return bytesOfStreams;
    }

    /** A trace folder's files and sub-folders ({@code index/}), hidden files left out (the reader skips them). */
    private static void copyFolder(FileSystem files, FileStatus[] children, Path local) throws IOException {
        Files.createDirectories(local);
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (child.isDirectory()) {
                copyFolder(files, files.listStatus(child.getPath()), local.resolve(name));
            } else {
                copyFile(files, child.getPath(), local.resolve(name));
            }
        }
    }

    private static void copyFile(FileSystem files, org.apache.hadoop.fs.Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = files.open(from)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Where the copy of a qualified location goes. */
    private Path localOf(org.apache.hadoop.fs.Path qualified) {
        URI uri = qualified.toUri();
        List<String> fileSystem = java.util.Arrays.asList(uri.getScheme(), uri.getAuthority());
        int rank = fileSystems.indexOf(fileSystem);
        if (rank < 0) {
            rank = fileSystems.size();
            fileSystems.add(fileSystem);
        }
        return root.resolve(Integer.toString(rank)).resolve(uri.getPath().replaceFirst("^/+", ""));
    }

    /**
     * The location a path of the copy stands for ({@code scheme://authority/a/b}); a path outside the copy as it is.
     */
    String locationOf(Path local) {
        Path absolute = local.toAbsolutePath().normalize();
        if (!absolute.startsWith(root) || absolute.getNameCount() <= root.getNameCount()) {
            return local.toString();
        }
        int rank = Integer.parseInt(absolute.getName(root.getNameCount()).toString());
        Path rest = root.resolve(Integer.toString(rank)).relativize(absolute);
        List<String> fileSystem = fileSystems.get(rank);
        return new org.apache.hadoop.fs.Path(fileSystem.get(0), fileSystem.get(1),
                "/" + rest.toString().replace(java.io.File.separatorChar, '/')).toString();
    }

    /** A message that names paths of the copy, naming their locations instead. */
    String locationsIn(String message) {
        if (message == null || !message.contains(root.toString())) {
            return message;
        }
        java.util.regex.Matcher copies = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(root.toString())
                + "[^\\s:,;'\"]*").matcher(message);
        StringBuilder named = new StringBuilder();
        while (copies.find()) {
            copies.appendReplacement(named, java.util.regex.Matcher.quoteReplacement(
                    locationOf(Path.of(copies.group()))));
        }
        copies.appendTail(named);
        return named.toString();
    }

    /** Deletes the copies. */
    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": cannot delete the copies of the traces: " + e.getMessage(), e);
        }
    }
}
