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
import org.vnetscope.ctf.internal.ValueVisitor;
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

    private static final long UNSET = Long.MIN_VALUE;    /** babeltrace2's C-style escapes of the ASCII characters that have one, by character; null for the others. */
    private static final byte[][] ESCAPES = new byte[128][];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = ascii(String.format("\\x%02x", c));
        }
        ESCAPES[0x7f] = ascii("\\x7f");
        ESCAPES['\u0007'] = ascii("\\a");
        ESCAPES['\b'] = ascii("\\b");
        ESCAPES['\u001b'] = ascii("\\e");
        ESCAPES['\f'] = ascii("\\f");
        ESCAPES['\n'] = ascii("\\n");
        ESCAPES['\r'] = ascii("\\r");
        ESCAPES['\t'] = ascii("\\t");
        ESCAPES['\u000b'] = ascii("\\v");
        ESCAPES['\\'] = ascii("\\\\");
        ESCAPES['\''] = ascii("\\'");
        ESCAPES['"'] = ascii("\\\"");
        ESCAPES['?'] = ascii("\\?");
    }

    private static final byte[] FIRST_INDEX = ascii(" [");
    private static final byte[] NEXT_INDEX = ascii(", [");
    private static final byte[] INDEX_END = ascii("] = ");
    private static final byte[] UNKNOWN_LABEL = ascii("<unknown>");
    private static final byte[] CONTAINER = ascii(" : container = ");

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private final ByteSink out;
    private final PrintWriter warnings;
    private final Options options;
    private final Path inputRoot;
    private final TimestampFormat timestamps;
    private final FieldWriter fields = new FieldWriter();

    private long lastNs = UNSET;
    private long lastCycles = UNSET;

    private final Map<StreamClass, StreamFormat> formatsByStreamClass = new IdentityHashMap<>();
    private final Map<StreamFile, Long> streamIds = new HashMap<>();
    /** Event formats by {@link Event#classIndex()}. */
    private EventFormat[] eventFormats = new EventFormat[64];

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

    /**
     * Prints one event line. Events of a reader are printed from the decoder's values in place; others (any
     * {@link Event} implementation) from their {@link Event#scope} trees.
     */
    public void print(Event event) {
        EventFormat format = format(event);
        // A decoding error must not leave half a line behind.
        int lineStart = out.length();
        try {
            long ns = event.timestampNs();
            if (format.hasClock && ns != Long.MIN_VALUE) {
                timestampAndDelta(ns, event.cycles());
            }
            out.append(format.prefixAndName);
            ScopeFormat[] scopes = format.scopes;
            for (int i = 0; i < scopes.length; i++) {
                if (i > 0) {
                    out.append(',');
                    out.append(' ');
                }
                ScopeFormat scope = scopes[i];
                fields.format = scope;
                if (!ValueVisitor.walk(event, scope.scope, fields)) {
                    fields.walkTree(scope.root, 0, event.scope(scope.scope));
                }
            }
        } catch (RuntimeException e) {
            out.truncate(lineStart);
            throw e;
        }
        out.append('\n');
        out.flushIfFull();
    }

    private EventFormat format(Event event) {
        int index = event.classIndex();
        EventClass eventClass = event.eventClass();
        Trace trace = event.stream().trace();
        if (index >= 0 && index < eventFormats.length) {
            EventFormat known = eventFormats[index];
            if (known != null && known.eventClass == eventClass && known.trace == trace) {
                return known;
            }
        }
        StreamClass streamClass = trace.metadata().streams().get(eventClass.streamClassId());
        StreamFormat stream = formatsByStreamClass.computeIfAbsent(streamClass, StreamFormat::new);
        EventFormat format = new EventFormat(eventClass, trace, stream);
        if (index >= 0) {
            if (index >= eventFormats.length) {
                eventFormats = java.util.Arrays.copyOf(eventFormats, Math.max(index + 1, eventFormats.length * 2));
            }
            eventFormats[index] = format;
        }
        return format;
    }

    /** The printed scopes of a stream class and of each of its event classes, found once. */
    private static final class StreamFormat {
        final Shape.StreamShapes shapes;
        final ScopeFormat packetContext;
        final ScopeFormat eventCommonContext;

        StreamFormat(StreamClass streamClass) {
            shapes = new Shape.StreamShapes(streamClass);
            packetContext = ScopeFormat.of(shapes.packetContext, Scope.PACKET_CONTEXT);
            eventCommonContext = ScopeFormat.of(shapes.eventCommonContext, Scope.STREAM_EVENT_CONTEXT);
        }
    }

    /** Everything constant in the lines of one event class. */
    private static final class EventFormat {
        final EventClass eventClass;
        final Trace trace;
        final boolean hasClock;
        /** {@code host:procname:(vpid) name: } */
        final byte[] prefixAndName;
        /** The scopes printed, in order. */
        final ScopeFormat[] scopes;

        EventFormat(EventClass eventClass, Trace trace, StreamFormat stream) {
            this.eventClass = eventClass;
            this.trace = trace;
            this.hasClock = stream.shapes.hasClock;
            byte[] prefix = prefix(trace);
            byte[] name = (eventClass.name() + ": ").getBytes(StandardCharsets.UTF_8);
            prefixAndName = java.util.Arrays.copyOf(prefix, prefix.length + name.length);
            System.arraycopy(name, 0, prefixAndName, prefix.length, name.length);
            Shape[] eventShapes = stream.shapes.eventShapes(eventClass);
            scopes = java.util.stream.Stream.of(stream.packetContext, stream.eventCommonContext,
                            ScopeFormat.of(eventShapes[0], Scope.EVENT_CONTEXT),
                            ScopeFormat.of(eventShapes[1], Scope.EVENT_PAYLOAD))
                    .filter(java.util.Objects::nonNull).toArray(ScopeFormat[]::new);
        }
    }

    /** A printed scope's shapes and constant text by slot (see {@link ValueVisitor}). */
    private static final class ScopeFormat {
        final Scope scope;
        final Shape root;
        final Shape[] shapes;
        /** {@code  name = } before the first shown member of a structure, {@code , name = } before the others. */
        final byte[][] labels;
        /** Integer layout of integers and enumerations (the container of enumerations). */
        final IntegerType[] integers;
        final LabelRanges[][] enumLabels;

        private ScopeFormat(Scope scope, Shape root) {
            this.scope = scope;
            this.root = root;
            shapes = root.bySlot();
            labels = new byte[shapes.length][];
            integers = new IntegerType[shapes.length];
            enumLabels = new LabelRanges[shapes.length][];
            for (int slot = 0; slot < shapes.length; slot++) {
                Shape shape = shapes[slot];
                if (shape.type instanceof StructType struct) {
                    boolean first = true;
                    int child = slot + 1;
                    for (int i = 0; i < shape.children.length; i++) {
                        if (shape.children[i].shown) {
                            labels[child] = ((first ? " " : ", ") + struct.fields().get(i).name() + " = ")
                                    .getBytes(StandardCharsets.UTF_8);
                            first = false;
                        }
                        child += shape.children[i].size;
                    }
                } else if (shape.type instanceof IntegerType integer) {
                    integers[slot] = integer;
                } else if (shape.type instanceof EnumType enumType) {
                    integers[slot] = enumType.container();
                    enumLabels[slot] = LabelRanges.of(enumType);
                }
            }
        }

        static ScopeFormat of(Shape root, Scope scope) {
            return root == null ? null : new ScopeFormat(scope, root);
        }
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

    /**
     * Writes the fields of one scope as the values arrive, in the current {@link #format}: hidden fields are
     * left out, a structure member is preceded by its label, a character array is gathered and printed as text.
     */
    private final class FieldWriter implements ValueVisitor {
        ScopeFormat format;
        /** Set inside a character array, whose elements go to {@link #text}. */
        private boolean gathering;
        private byte[] text = new byte[256];
        private int textLength;
        private byte[] copy = new byte[256];

        private boolean begin(int slot) {
            if (!format.shapes[slot].shown) {
                return false;
            }
            byte[] label = format.labels[slot];
            if (label != null) {
                out.append(label);
            }
            return true;
        }

        @Override
        public void integer(int slot, long value) {
            if (gathering) {
                gather((byte) value);
            } else if (begin(slot)) {
                LabelRanges[] labels = format.enumLabels[slot];
                if (labels == null) {
                    PrettyPrinter.this.integer(format.integers[slot], value);
                } else {
                    enumeration(labels, format.integers[slot], value);
                }
            }
        }

        @Override
        public void wideInteger(int slot, java.math.BigInteger value) {
            if (begin(slot)) {
                PrettyPrinter.this.wideInteger((IntegerType) format.shapes[slot].type, value);
            }
        }

        @Override
        public void floating(int slot, double value) {
            if (begin(slot)) {
                out.append(CNumbers.formatG(value));
            }
        }

        @Override
        public void string(int slot, java.nio.ByteBuffer buffer, int start, int length) {
            if (begin(slot)) {
                if (copy.length < length) {
                    copy = new byte[Math.max(length, copy.length * 2)];
                }
                buffer.get(start, copy, 0, length);
                quoted(copy, length);
            }
        }

        void string(int slot, String value) {
            if (begin(slot)) {
                PrettyPrinter.this.string(value);
            }
        }

        @Override
        public void beginStruct(int slot) {
            if (begin(slot)) {
                out.append('{');
            }
        }

        @Override
        public void endStruct(int slot) {
            if (format.shapes[slot].shown) {
                out.append(' ');
                out.append('}');
            }
        }

        @Override
        public void beginVariant(int slot, int option) {
            if (begin(slot)) {
                out.append('{');
                out.append(' ');
            }
        }

        @Override
        public void endVariant(int slot) {
            endStruct(slot);
        }

        @Override
        public boolean beginArray(int slot, long length) {
            if (!begin(slot)) {
                return false;
            }
            if (format.shapes[slot].text) {
                gathering = true;
                textLength = 0;
                return true;
            }
            out.append('[');
            return false;
        }

        @Override
        public void element(int slot, long index) {
            if (!gathering && format.shapes[slot].shown) {
                out.append(index == 0 ? FIRST_INDEX : NEXT_INDEX);
                out.appendUnsigned(index);
                out.append(INDEX_END);
            }
        }

        @Override
        public void bytes(int slot, java.nio.ByteBuffer buffer, int start, int length) {
            if (text.length < length) {
                text = new byte[Math.max(length, text.length * 2)];
            }
            buffer.get(start, text, 0, length);
            textLength = length;
        }

        private void gather(byte value) {
            if (textLength == text.length) {
                text = java.util.Arrays.copyOf(text, text.length * 2);
            }
            text[textLength++] = value;
        }

        @Override
        public void endArray(int slot) {
            if (gathering) {
                gathering = false;
                int end = 0;
                while (end < textLength && text[end] != 0) {
                    end++;
                }
                quoted(text, end);
            } else if (format.shapes[slot].shown) {
                out.append(' ');
                out.append(']');
            }
        }

        /**
         * The same calls for a materialized value ({@link Event#scope}), for events that do not come from a
         * reader.
         */
        void walkTree(Shape shape, int slot, Object value) {
            FieldType type = shape.type;
            if (type instanceof IntegerType && value instanceof java.math.BigInteger wide) {
                wideInteger(slot, wide);
            } else if (type instanceof IntegerType || type instanceof EnumType) {
                integer(slot, ((Number) value).longValue());
            } else if (type instanceof FloatType) {
                floating(slot, ((Number) value).doubleValue());
            } else if (type instanceof StringType || shape.text && value instanceof String) {
                string(slot, String.valueOf(value));
            } else if (type instanceof StructType) {
                Object[] members = (Object[]) value;
                beginStruct(slot);
                int child = slot + 1;
                for (int i = 0; i < shape.children.length; i++) {
                    walkTree(shape.children[i], child, members[i]);
                    child += shape.children[i].size;
                }
                endStruct(slot);
            } else if (type instanceof VariantType) {
                Event.VariantValue selected = (Event.VariantValue) value;
                int child = slot + 1;
                for (int i = 0; i < selected.option(); i++) {
                    child += shape.children[i].size;
                }
                beginVariant(slot, selected.option());
                walkTree(shape.children[selected.option()], child, selected.value());
                endVariant(slot);
            } else {
                Object[] elements = (Object[]) value;
                beginArray(slot, elements.length);
                for (int i = 0; i < elements.length; i++) {
                    element(slot, i);
                    walkTree(shape.children[0], slot + 1, elements[i]);
                }
                endArray(slot);
            }
        }
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
                out.append('0');
                out.append('x');
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

    /**
     * An integer wider than 64 bits, which babeltrace2 cannot read: the same notation as narrower ones, with
     * negative values of non-decimal bases shown in two's complement over the integer's size.
     */
    private void wideInteger(IntegerType type, java.math.BigInteger value) {
        int size = type.sizeBits();
        java.math.BigInteger bits = value.signum() < 0 ? value.add(java.math.BigInteger.ONE.shiftLeft(size)) : value;
        switch (type.base()) {
            case 16 -> out.append("0x" + bits.toString(16).toUpperCase(java.util.Locale.ROOT));
            case 8 -> out.append("0" + bits.toString(8));
            case 2 -> {
                String digits = bits.toString(2);
                out.append("0b" + "0".repeat(size - digits.length()) + digits);
            }
            default -> out.append(value.toString());
        }
    }

    private void enumeration(LabelRanges[] labels, IntegerType container, long raw) {
        int size = container.sizeBits();
        long value = raw;
        if (size < 64) {
            value = container.signed() ? raw << (64 - size) >> (64 - size) : raw & ((1L << size) - 1);
        }
        out.append('(');
        out.append(' ');
        boolean none = true;
        for (LabelRanges label : labels) {
            if (label.contains(value, container.signed())) {
                if (!none) {
                    out.append(',');
                    out.append(' ');
                }
                out.append(label.quoted);
                none = false;
            }
        }
        if (none) {
            out.append(UNKNOWN_LABEL);
        }
        out.append(CONTAINER);
        integer(container, value);
        out.append(' ');
        out.append(')');
    }

    /**
     * An enumeration label with all its ranges: babeltrace2 lists labels in order of first declaration.
     *
     * @param quoted the label as printed, quoted and escaped
     */
    private record LabelRanges(byte[] quoted, long[] bounds) {

        static LabelRanges[] of(EnumType type) {
            Map<String, List<Long>> byLabel = new java.util.LinkedHashMap<>();
            for (EnumType.Mapping mapping : type.mappings()) {
                List<Long> bounds = byLabel.computeIfAbsent(mapping.label(), l -> new ArrayList<>());
                bounds.add(mapping.lower());
                bounds.add(mapping.upper());
            }
            return byLabel.entrySet().stream()
                    .map(e -> new LabelRanges(quote(e.getKey()),
                            e.getValue().stream().mapToLong(Long::longValue).toArray()))
                    .toArray(LabelRanges[]::new);
        }

        private static byte[] quote(String label) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ByteSink sink = new ByteSink(bytes);
            string(sink, label);
            sink.flush();
            return bytes.toByteArray();
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

    /**
     * The first {@code length} bytes of {@code bytes}, UTF-8 text, quoted: ASCII escaped byte by byte, anything
     * else through {@link #string(String)}, which replaces malformed sequences as a Java string does.
     */
    private void quoted(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] < 0) {
                string(new String(bytes, 0, length, StandardCharsets.UTF_8));
                return;
            }
        }
        out.appendQuotedAscii(bytes, length, ESCAPES);
    }

    private void string(String text) {
        string(out, text);
    }

    /** A quoted string with babeltrace2's C-style escapes; non-ASCII text goes out as UTF-8. */
    private static void string(ByteSink out, String text) {
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
