package org.vnetscope.ctf.text;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.VariantType;

/**
 * Writes events as text, byte for byte as {@code babeltrace2 TRACE} does by default (its {@code sink.text.pretty}
 * component fed by {@code src.ctf.fs}):
 *
 * <pre>[HH:MM:SS.nnnnnnnnn] (+S.nnnnnnnnn) host:procname:(vpid) name: { packet context }, { stream event context },
 * { event context }, { payload }</pre>
 *
 * Scopes that the trace does not declare are left out, and so are the fields babeltrace2 does not show (see
 * {@link Shape}). Discarded events and packets are reported on the warnings stream, as babeltrace2 reports them
 * on its standard error. Output is buffered: call {@link #flush()} (or use {@link #printAll}) at the end.
 */
public final class PrettyPrinter {

    /**
     * The babeltrace2 command-line options of the same names.
     *
     * @param clockCycles   timestamps and deltas in clock cycles ({@code --clock-cycles})
     * @param clockSeconds  timestamps as seconds since the epoch ({@code --clock-seconds})
     * @param clockDate     the date before the time of day ({@code --clock-date})
     * @param clockGmt      time of day in UTC rather than in {@code localZone} ({@code --clock-gmt})
     * @param delta         the {@code (+S.nnnnnnnnn)} delta with the previous event (off with {@code --no-delta})
     * @param localZone     the local time zone (babeltrace2 takes it from the {@code TZ} environment)
     */
    public record Options(boolean clockCycles, boolean clockSeconds, boolean clockDate, boolean clockGmt,
                          boolean delta, ZoneId localZone) {

        /** babeltrace2's defaults, in the JVM's default time zone. */
        public static Options defaults() {
            return new Options(false, false, false, false, true, ZoneId.systemDefault());
        }

        public Options withClockGmt(boolean value) {
            return new Options(clockCycles, clockSeconds, clockDate, value, delta, localZone);
        }

        public Options withLocalZone(ZoneId value) {
            return new Options(clockCycles, clockSeconds, clockDate, clockGmt, delta, value);
        }
    }

    private static final long UNSET = Long.MIN_VALUE;
    private static final String[] ESCAPES = new String[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = String.format("\\x%02x", c);
        }
        ESCAPES[0x7f] = "\\x7f";
        ESCAPES['\u0007'] = "\\a";
        ESCAPES['\b'] = "\\b";
        ESCAPES['\u001b'] = "\\e";
        ESCAPES['\f'] = "\\f";
        ESCAPES['\n'] = "\\n";
        ESCAPES['\r'] = "\\r";
        ESCAPES['\t'] = "\\t";
        ESCAPES['\u000b'] = "\\v";
        ESCAPES['\\'] = "\\\\";
        ESCAPES['\''] = "\\'";
        ESCAPES['"'] = "\\\"";
        ESCAPES['?'] = "\\?";
    }

    private final ByteSink out;
    private final PrintWriter warnings;
    private final Options options;
    private final Path inputRoot;
    private final TimestampFormat timestamps;

    private long lastNs = UNSET;
    private long lastCycles = UNSET;

    private final Map<StreamClass, Shape.StreamShapes> shapesByStreamClass = new IdentityHashMap<>();
    private final Map<Trace, byte[]> prefixByTrace = new IdentityHashMap<>();
    private final Map<EnumType, LabelRanges[]> labelsByEnum = new IdentityHashMap<>();
    private final Map<StreamFile, Long> streamIds = new HashMap<>();
    private EventClass lastEventClass;
    private Shape.StreamShapes lastStreamShapes;
    private Shape[] lastEventShapes;
    private byte[] lastPrefix;
    private Trace lastTrace;

    /**
     * @param out       where event lines go (babeltrace2's standard output)
     * @param warnings  where discarded-data reports and time warnings go (babeltrace2's standard error)
     * @param inputRoot the path the user gave, to name nested traces in reports as babeltrace2 does, or null
     */
    public PrettyPrinter(OutputStream out, PrintWriter warnings, Options options, Path inputRoot) {
        this.out = new ByteSink(out);
        this.warnings = warnings;
        this.options = options;
        this.inputRoot = inputRoot;
        this.timestamps = new TimestampFormat(options.clockSeconds(), options.clockDate(),
                options.clockGmt() ? ZoneOffset.UTC : options.localZone(), warnings);
    }

    /**
     * Prints every record of the reader and flushes. What was printed before an error is flushed too.
     *
     * @return the number of events printed
     */
    public long printAll(TraceReader reader) {
        long count = 0;
        try {
            while (reader.next()) {
                Event event = reader.event();
                if (event != null) {
                    print(event);
                    count++;
                } else {
                    print(reader, reader.discard());
                }
            }
        } finally {
            flush();
        }
        return count;
    }

    /** Writes out whatever is buffered. */
    public void flush() {
        out.flush();
    }

    /** Prints one event line. */
    public void print(Event event) {
        EventClass eventClass = event.eventClass();
        if (eventClass != lastEventClass) {
            selectShapes(event, eventClass);
        }
        Trace trace = event.stream().trace();
        if (trace != lastTrace) {
            lastPrefix = prefixByTrace.computeIfAbsent(trace, PrettyPrinter::prefix);
            lastTrace = trace;
        }
        Shape.StreamShapes streamShapes = lastStreamShapes;
        // Read every scope before writing: a decoding error must not leave half a line behind.
        Object[] packetContext = streamShapes.packetContext == null ? null : event.scope(Scope.PACKET_CONTEXT);
        Object[] commonContext = streamShapes.eventCommonContext == null ? null
                : event.scope(Scope.STREAM_EVENT_CONTEXT);
        Object[] eventContext = lastEventShapes[0] == null ? null : event.scope(Scope.EVENT_CONTEXT);
        Object[] payload = lastEventShapes[1] == null ? null : event.scope(Scope.EVENT_PAYLOAD);

        long ns = event.timestampNs();
        if (streamShapes.hasClock && ns != Long.MIN_VALUE) {
            timestampAndDelta(ns, event.cycles());
        }
        out.append(lastPrefix);
        out.append(eventClass.name());
        out.append(':');
        out.append(' ');
        boolean first = true;
        first = scope(streamShapes.packetContext, packetContext, first);
        first = scope(streamShapes.eventCommonContext, commonContext, first);
        first = scope(lastEventShapes[0], eventContext, first);
        scope(lastEventShapes[1], payload, first);
        out.append('\n');
        out.flushIfFull();
    }

    private void selectShapes(Event event, EventClass eventClass) {
        StreamClass streamClass = event.stream().trace().metadata().streams().get(eventClass.streamClassId());
        Shape.StreamShapes shapes = shapesByStreamClass.computeIfAbsent(streamClass, Shape.StreamShapes::new);
        lastStreamShapes = shapes;
        lastEventShapes = shapes.eventShapes(eventClass);
        lastEventClass = eventClass;
    }

    private void timestampAndDelta(long ns, long cycles) {
        out.append('[');
        if (options.clockCycles()) {
            out.appendUnsignedPadded(cycles, 20);
        } else {
            timestamps.append(out, ns);
        }
        out.append(']');
        out.append(' ');
        if (options.delta()) {
            out.append('(');
            if (options.clockCycles()) {
                if (lastCycles == UNSET) {
                    out.append("+????????????");
                } else {
                    out.append('+');
                    out.appendUnsignedPadded(cycles - lastCycles, 12);
                }
            } else if (lastNs == UNSET) {
                out.append("+?.?????????");
            } else {
                long delta = ns - lastNs;
                out.append('+');
                out.appendUnsigned(Long.divideUnsigned(delta, 1_000_000_000L));
                out.append('.');
                out.appendUnsignedPadded(Long.remainderUnsigned(delta, 1_000_000_000L), 9);
            }
            out.append(')');
            out.append(' ');
        }
        if (options.clockCycles()) {
            lastCycles = cycles;
        } else {
            lastNs = ns;
        }
    }

    /** {@code host:procname:(vpid) } from the trace environment, each part only when present. */
    private static byte[] prefix(Trace trace) {
        Map<String, Object> env = trace.metadata().env();
        StringBuilder text = new StringBuilder();
        if (env.get("hostname") instanceof String hostname) {
            text.append(hostname);
        }
        if (env.get("procname") instanceof String procname) {
            text.append(text.length() > 0 ? ":" : "").append(procname);
        }
        if (env.get("vpid") instanceof Long vpid) {
            text.append(text.length() > 0 ? ":" : "").append('(').append(vpid).append(')');
        }
        boolean any = env.get("hostname") instanceof String || env.get("procname") instanceof String
                || env.get("vpid") instanceof Long;
        if (any) {
            text.append(' ');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private boolean scope(Shape shape, Object[] values, boolean first) {
        if (shape == null) {
            return first;
        }
        if (!first) {
            out.append(',');
            out.append(' ');
        }
        struct(shape, values);
        return false;
    }

    private void value(Shape shape, Object value) {
        FieldType type = shape.type;
        if (type instanceof IntegerType integer) {
            integer(integer, ((Number) value).longValue());
        } else if (type instanceof StringType) {
            string(String.valueOf(value));
        } else if (type instanceof StructType) {
            struct(shape, (Object[]) value);
        } else if (type instanceof EnumType enumType) {
            enumeration(enumType, ((Number) value).longValue());
        } else if (shape.text) {
            text(value);
        } else if (type instanceof VariantType) {
            Event.VariantValue selected = (Event.VariantValue) value;
            out.append("{ ");
            value(shape.children[selected.option()], selected.value());
            out.append(" }");
        } else if (type instanceof FloatType) {
            out.append(CNumbers.formatG(((Number) value).doubleValue()));
        } else {
            array(shape.children[0], value);
        }
    }

    private void struct(Shape shape, Object[] values) {
        out.append('{');
        boolean first = true;
        for (int i = 0; i < shape.children.length; i++) {
            Shape member = shape.children[i];
            if (!member.shown) {
                continue;
            }
            out.append(first ? " " : ", ");
            first = false;
            out.append(shape.memberLabels[i]);
            value(member, values[i]);
        }
        out.append(" }");
    }

    private void array(Shape element, Object value) {
        out.append('[');
        Object[] elements = elements(value);
        for (int i = 0; i < elements.length; i++) {
            out.append(i == 0 ? " [" : ", [");
            out.appendUnsigned(i);
            out.append("] = ");
            value(element, elements[i]);
        }
        out.append(" ]");
    }

    private static Object[] elements(Object value) {
        if (value instanceof Object[] array) {
            return array;
        }
        if (value instanceof byte[] bytes) {
            Object[] boxed = new Object[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                boxed[i] = (long) (bytes[i] & 0xff);
            }
            return boxed;
        }
        throw new IllegalArgumentException("not an array value: " + value);
    }

    private void integer(IntegerType type, long raw) {
        int size = type.sizeBits();
        long value = raw;
        if (size < 64) {
            value = type.signed() ? raw << (64 - size) >> (64 - size) : raw & ((1L << size) - 1);
        }
        switch (type.base()) {
            case 16 -> {
                long shown = value;
                if (size < 64) {
                    // Java, like the x86 shift babeltrace2 relies on, masks a shift by 64 to 0: 61 to 63-bit
                    // integers come out as 0x0 there too.
                    shown &= (1L << ((size + 3) & ~3)) - 1;
                }
                out.append("0x");
                out.appendRadix(shown, 4);
            }
            case 8 -> {
                long shown = value;
                if (type.signed() && size < 64) {
                    shown &= (1L << (((size - 1) / 3 + 1) * 3)) - 1;
                }
                out.append('0');
                out.appendRadix(shown, 3);
            }
            case 2 -> {
                out.append("0b");
                long bits = value << (64 - size);
                for (int i = 0; i < size; i++) {
                    out.append(bits < 0 ? '1' : '0');
                    bits <<= 1;
                }
            }
            default -> {
                if (type.signed()) {
                    out.appendSigned(value);
                } else {
                    out.appendUnsigned(value);
                }
            }
        }
    }

    private void enumeration(EnumType type, long raw) {
        IntegerType container = type.container();
        int size = container.sizeBits();
        long value = raw;
        if (size < 64) {
            value = container.signed() ? raw << (64 - size) >> (64 - size) : raw & ((1L << size) - 1);
        }
        out.append("( ");
        boolean none = true;
        for (LabelRanges label : labelsByEnum.computeIfAbsent(type, LabelRanges::of)) {
            if (label.contains(value, container.signed())) {
                if (!none) {
                    out.append(", ");
                }
                string(label.label);
                none = false;
            }
        }
        if (none) {
            out.append("<unknown>");
        }
        out.append(" : container = ");
        integer(container, value);
        out.append(" )");
    }

    /** An enumeration label with all its ranges: babeltrace2 lists labels in order of first declaration. */
    private record LabelRanges(String label, long[] bounds) {

        static LabelRanges[] of(EnumType type) {
            Map<String, List<Long>> byLabel = new java.util.LinkedHashMap<>();
            for (EnumType.Mapping mapping : type.mappings()) {
                List<Long> bounds = byLabel.computeIfAbsent(mapping.label(), l -> new ArrayList<>());
                bounds.add(mapping.lower());
                bounds.add(mapping.upper());
            }
            return byLabel.entrySet().stream()
                    .map(e -> new LabelRanges(e.getKey(),
                            e.getValue().stream().mapToLong(Long::longValue).toArray()))
                    .toArray(LabelRanges[]::new);
        }

        boolean contains(long value, boolean signed) {
            for (int i = 0; i < bounds.length; i += 2) {
                boolean inside = signed ? bounds[i] <= value && value <= bounds[i + 1]
                        : Long.compareUnsigned(bounds[i], value) <= 0 && Long.compareUnsigned(value, bounds[i + 1]) <= 0;
                if (inside) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A quoted string with babeltrace2's C-style escapes; non-ASCII text goes out as UTF-8. */
    private void string(String text) {
        out.append('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                int end = i + 1;
                while (end < length && text.charAt(end) >= 0x80) {
                    end++;
                }
                out.append(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            } else if (c == 0) {
                break;
            } else if (ESCAPES[c] != null) {
                out.append(ESCAPES[c]);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** A character array or sequence: its bytes up to the first NUL, as a string. */
    private void text(Object value) {
        if (value instanceof String text) {
            string(text);
            return;
        }
        byte[] bytes;
        if (value instanceof byte[] raw) {
            bytes = raw;
        } else {
            Object[] elements = (Object[]) value;
            bytes = new byte[elements.length];
            for (int i = 0; i < elements.length; i++) {
                bytes[i] = ((Number) elements[i]).byteValue();
            }
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        string(new String(bytes, 0, end, StandardCharsets.UTF_8));
    }

    /**
     * Reports lost data on the warnings stream, in babeltrace2's words:
     * {@code WARNING: Tracer discarded 3 events between [T1] and [T2] in trace "host" (UUID: ...) within stream
     * "/abs/path/chan_0" (stream class ID: 0, stream ID: 1).}
     */
    public void print(TraceReader reader, Discard discard) {
        String unit = discard.kind() == Discard.Kind.EVENTS ? "event" : "packet";
        StringBuilder text = new StringBuilder("WARNING: ");
        if (discard.count() == -1) {
            text.append("Tracer may have discarded ").append(unit).append("s ");
        } else {
            text.append("Tracer discarded ").append(discard.count()).append(' ').append(unit)
                    .append(discard.count() == 1 ? "" : "s").append(' ');
        }
        if (discard.beginNs() == Long.MIN_VALUE || discard.endNs() == Long.MIN_VALUE) {
            text.append("(unknown time range)");
        } else {
            text.append("between [").append(wallClock(discard.beginNs())).append("] and [")
                    .append(wallClock(discard.endNs())).append(']');
        }
        StreamFile stream = discard.stream();
        Trace trace = stream.trace();
        text.append(" in trace \"").append(traceName(trace)).append("\" ");
        if (trace.metadata().uuid() != null) {
            text.append("(UUID: ").append(trace.metadata().uuid()).append(") ");
        } else {
            text.append("(no UUID) ");
        }
        text.append("within stream \"").append(stream.path().toAbsolutePath().normalize())
                .append("\" (stream class ID: ").append(stream.streamClassId()).append(", stream ID: ")
                .append(streamId(reader, stream)).append(").\n");
        warnings.print(text);
        warnings.flush();
    }

    private String wallClock(long ns) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ByteSink sink = new ByteSink(bytes);
        timestamps.append(sink, ns);
        sink.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** babeltrace2 names a trace after its hostname, plus its path below the input folder when nested. */
    private String traceName(Trace trace) {
        StringBuilder name = new StringBuilder();
        String suffix = "";
        if (inputRoot != null) {
            Path root = inputRoot.toAbsolutePath().normalize();
            Path directory = trace.directory().toAbsolutePath().normalize();
            if (directory.startsWith(root)) {
                suffix = root.relativize(directory).toString();
            }
        }
        if (trace.metadata().env().get("hostname") instanceof String hostname) {
            name.append(hostname);
            if (!suffix.isEmpty()) {
                name.append('/');
            }
        }
        return name.append(suffix).toString();
    }

    /** The stream instance ID, or else the rank among the trace's streams without one (babeltrace2 counts them). */
    private long streamId(TraceReader reader, StreamFile stream) {
        if (stream.streamInstanceId() >= 0) {
            return stream.streamInstanceId();
        }
        return streamIds.computeIfAbsent(stream, s -> {
            long rank = 0;
            for (StreamFile other : reader.streams()) {
                if (other.equals(s)) {
                    break;
                }
                if (other.trace() == s.trace() && other.streamInstanceId() < 0) {
                    rank++;
                }
            }
            return rank;
        });
    }
}
