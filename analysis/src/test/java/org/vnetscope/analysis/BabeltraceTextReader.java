package org.vnetscope.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.StructType;

/**
 * A {@link TraceReader} that takes its events from the reference reader, babeltrace2, by parsing its text
 * output. Tests use it as the event source while the project's own reader cannot read a trace, so that the
 * analyses are checked on the real lab traces; values follow the {@link Event} contract (variant options are
 * named by their tag's label without the leading underscore).
 */
final class BabeltraceTextReader implements TraceReader {

    private final Process process;
    private final BufferedReader lines;
    private final Map<String, EventClass> classes = new HashMap<>();
    private TextEvent current;

    private BabeltraceTextReader(Process process) {
        this.process = process;
        this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8),
                1 << 16);
    }

    static TraceReader open(Path trace) {
        try {
            Process process = new ProcessBuilder("babeltrace2", "--clock-seconds", "--no-delta", trace.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new BabeltraceTextReader(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run babeltrace2", e);
        }
    }

    static boolean available() {
        try {
            return new ProcessBuilder("babeltrace2", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public List<Trace> traces() {
        return List.of();
    }

    @Override
    public List<StreamFile> streams() {
        return List.of();
    }

    @Override
    public boolean next() {
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                TextEvent event = parse(line);
                if (event != null) {
                    current = event;
                    return true;
                }
            }
            current = null;
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Event event() {
        return current;
    }

    @Override
    public Discard discard() {
        return null;
    }

    @Override
    public void close() {
        process.destroy();
    }

    /** {@code [1795647398.333591800] host name: { cpu_id = 0 }, { ctx }, { payload }} */
    private TextEvent parse(String line) {
        if (!line.startsWith("[")) {
            return null;
        }
        int close = line.indexOf(']');
        String stamp = line.substring(1, close);
        int dot = stamp.indexOf('.');
        long timestamp = Long.parseLong(stamp.substring(0, dot)) * 1_000_000_000L
                + Long.parseLong((stamp.substring(dot + 1) + "000000000").substring(0, 9));
        int colon = line.indexOf(": ", close);
        String head = line.substring(close + 2, colon);
        String name = head.substring(head.lastIndexOf(' ') + 1);
        Map<String, Object> fields = new HashMap<>();
        Parser parser = new Parser(line, colon + 2);
        while (parser.pos < line.length()) {
            parser.struct("", fields);
            parser.skip(',');
        }
        EventClass eventClass = classes.computeIfAbsent(name, n -> new EventClass(classes.size(), n, 0, null, null,
                StructType.EMPTY, StructType.EMPTY, Map.of()));
        return new TextEvent(eventClass, timestamp, fields);
    }

    record EnumValue(String[] labels, long value) {
    }

    private static final class Parser {
        private final String text;
        private int pos;
        /** The label of the last enumeration read: the tag of the variant that follows it. */
        private String lastEnumLabel = "";

        Parser(String text, int pos) {
            this.text = text;
            this.pos = pos;
        }

        void ws() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        void skip(char c) {
            ws();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
            }
            ws();
        }

        /** A struct at pos: "{ a = v, b = v }"; fields go into out under prefix. */
        void struct(String prefix, Map<String, Object> out) {
            skip('{');
            while (pos < text.length() && text.charAt(pos) != '}') {
                char c = text.charAt(pos);
                if (c == '{') {
                    // an unnamed value inside braces: a variant's selected option
                    struct(prefix + lastEnumLabel, out);
                } else {
                    int eq = text.indexOf(" = ", pos);
                    String field = text.substring(pos, eq);
                    pos = eq + 3;
                    String key = prefix.isEmpty() ? field : prefix + "." + field;
                    Object value = value(key, out);
                    if (value instanceof EnumValue e) {
                        lastEnumLabel = e.labels.length == 0 ? "" : e.labels[0].replaceFirst("^_", "");
                    }
                    if (value != null && !out.containsKey(key)) {
                        out.put(key, value);
                    }
                }
                skip(',');
            }
            skip('}');
        }

        Object value(String key, Map<String, Object> out) {
            char c = text.charAt(pos);
            if (c == '{') {
                // a struct; a variant prints as a struct holding one unnamed value
                struct(key + ".", out);
                return null;
            }
            if (c == '[') {
                List<Object> items = new ArrayList<>();
                skip('[');
                while (text.charAt(pos) != ']') {
                    int eq = text.indexOf(" = ", pos);
                    pos = eq + 3;
                    items.add(value(key, out));
                    skip(',');
                }
                skip(']');
                return items;
            }
            if (c == '(') {
                skip('(');
                List<String> labels = new ArrayList<>();
                if (text.charAt(pos) == '"') {
                    labels.add(string());
                } else if (text.charAt(pos) == '{') {
                    skip('{');
                    while (text.charAt(pos) != '}') {
                        labels.add(string());
                        skip(',');
                    }
                    skip('}');
                } else {
                    pos = text.indexOf(' ', pos);
                }
                int eq = text.indexOf("= ", pos);
                pos = eq + 2;
                long number = number();
                skip(')');
                return new EnumValue(labels.toArray(String[]::new), number);
            }
            if (c == '"') {
                return string();
            }
            return number();
        }

        String string() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\') {
                    c = text.charAt(pos++);
                    c = switch (c) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> c;
                    };
                }
                sb.append(c);
            }
            pos++;
            ws();
            return sb.toString();
        }

        long number() {
            int start = pos;
            while (pos < text.length() && " ,}])".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            String literal = text.substring(start, pos);
            ws();
            if (literal.startsWith("0x") || literal.startsWith("0X")) {
                return Long.parseUnsignedLong(literal.substring(2), 16);
            }
            if (literal.length() > 1 && literal.startsWith("0") && !literal.contains(".")) {
                return Long.parseUnsignedLong(literal.substring(1), 8);
            }
            if (literal.contains(".") || literal.contains("e")) {
                return (long) Double.parseDouble(literal);
            }
            return literal.startsWith("-") ? Long.parseLong(literal) : Long.parseUnsignedLong(literal);
        }
    }

    private record TextEvent(EventClass eventClass, long timestampNs, Map<String, Object> fields) implements Event {

        private Object find(FieldKey key) {
            Object value = fields.get(key.toString());
            if (value == null) {
                throw new IllegalArgumentException(eventClass.name() + " has no field " + key);
            }
            return value;
        }

        @Override
        public long cycles() {
            return timestampNs;
        }

        @Override
        public StreamFile stream() {
            return null;
        }

        @Override
        public boolean has(FieldKey key) {
            return fields.containsKey(key.toString());
        }

        @Override
        public long getLong(FieldKey key) {
            Object value = find(key);
            if (value instanceof EnumValue e) {
                return e.value;
            }
            if (value instanceof Long l) {
                return l;
            }
            throw new IllegalArgumentException(key + " is not an integer");
        }

        @Override
        public String getString(FieldKey key) {
            Object value = find(key);
            if (value instanceof String s) {
                return s;
            }
            throw new IllegalArgumentException(key + " is not a string");
        }

        @Override
        public byte[] getBytes(FieldKey key) {
            Object value = find(key);
            if (value instanceof List<?> list) {
                byte[] bytes = new byte[list.size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (long) (Long) list.get(i);
                }
                return bytes;
            }
            throw new IllegalArgumentException(key + " is not an array");
        }

        @Override
        public double getDouble(FieldKey key) {
            return getLong(key);
        }

        @Override
        public String[] getEnumLabels(FieldKey key) {
            Object value = find(key);
            if (value instanceof EnumValue e) {
                return e.labels;
            }
            throw new IllegalArgumentException(key + " is not an enumeration");
        }

        @Override
        public Object[] scope(Scope scope) {
            return new Object[0];
        }
    }
}
