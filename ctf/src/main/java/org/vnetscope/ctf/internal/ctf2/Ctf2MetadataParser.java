package org.vnetscope.ctf.internal.ctf2;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.internal.ctf2.Json.JsonArray;
import org.vnetscope.ctf.internal.ctf2.Json.JsonObject;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.Encoding;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/**
 * Parses CTF 2 metadata (a JSON text sequence: each fragment preceded by the record separator 0x1E) into the same
 * model as CTF 1.8 metadata. How CTF 2 concepts land in the model:
 * <ul>
 *   <li>An integer with mappings is an {@link EnumType}; a variable-length integer is an {@link IntegerType} with
 *   {@link IntegerType#variableLength()}; a boolean or a bit array is an unsigned integer (a bit map, whose flags
 *   the model cannot hold, is rejected).</li>
 *   <li>A static- or dynamic-length string is an array or sequence of 8-bit UTF-8 integers (text, like CTF 1.8
 *   character arrays); a blob is an array or sequence of 8-bit hexadecimal integers.</li>
 *   <li>A variant selects by selector value ranges ({@link VariantType#optionRanges()}); an optional is a variant
 *   of an empty structure named {@code none} and its field named {@code value}, chosen by the selector.</li>
 *   <li>The reader and printers give CTF 1.8 field names their meaning (magic, stream_id, packet_size,
 *   timestamp, id, ...). A CTF 2 field with a role is therefore named in the model after the CTF 1.8 field of that
 *   role, and a field without a role may not bear such a name where it would be taken for one. A
 *   default-clock-timestamp field is mapped to its data stream class's default clock.</li>
 * </ul>
 * Not expressible without a larger model change, hence rejected with a message naming them: metadata extensions,
 * string encodings other than UTF-8, floats other than 32 and 64 bits, bit orders other than the byte order's,
 * array minimum alignments above their element's, and roles on fields nested where the reader does not look.
 * User attributes are ignored.
 */
public final class Ctf2MetadataParser {
    /** The byte that starts every fragment of a CTF 2 metadata stream. */
    public static final byte RECORD_SEPARATOR = 0x1E;

    private static final Map<String, String> ROLE_NAMES = Map.ofEntries(
            Map.entry("packet-magic-number", "magic"),
            Map.entry("metadata-stream-uuid", "uuid"),
            Map.entry("data-stream-class-id", "stream_id"),
            Map.entry("data-stream-id", "stream_instance_id"),
            Map.entry("packet-total-length", "packet_size"),
            Map.entry("packet-content-length", "content_size"),
            Map.entry("packet-end-default-clock-timestamp", "timestamp_end"),
            Map.entry("discarded-event-record-counter-snapshot", "events_discarded"),
            Map.entry("packet-sequence-number", "packet_seq_num"),
            Map.entry("event-record-class-id", "id"));
    private static final String DEFAULT_CLOCK_TIMESTAMP = "default-clock-timestamp";
    /** Names the reader gives a meaning to, by scope: top-level fields (and, in the event header, deeper ones). */
    private static final Map<Scope, Set<String>> RESERVED = Map.of(
            Scope.PACKET_HEADER, Set.of("magic", "uuid", "stream_id", "stream_instance_id"),
            Scope.PACKET_CONTEXT, Set.of("packet_size", "content_size", "timestamp_begin", "timestamp_end",
                    "events_discarded", "packet_seq_num"),
            Scope.EVENT_HEADER, Set.of("id", "timestamp"));
    private static final Map<String, Scope> ORIGINS = Map.of(
            "packet-header", Scope.PACKET_HEADER,
            "packet-context", Scope.PACKET_CONTEXT,
            "event-record-header", Scope.EVENT_HEADER,
            "event-record-common-context", Scope.STREAM_EVENT_CONTEXT,
            "event-record-specific-context", Scope.EVENT_CONTEXT,
            "event-record-payload", Scope.EVENT_PAYLOAD);

    private final Path file;
    private final Map<String, Object> aliases = new HashMap<>();
    private final Map<String, ClockClass> clocks = new LinkedHashMap<>();
    private final Map<Long, StreamBuilder> streams = new LinkedHashMap<>();
    private final Layout traceLayout = new Layout();
    private UUID uuid;
    private Map<String, Object> environment = new LinkedHashMap<>();
    private StructType packetHeader = StructType.EMPTY;
    private boolean sawTraceClass;
    private ByteOrder firstByteOrder;

    private Ctf2MetadataParser(Path file) {
        this.file = file;
    }

    /** True when a metadata file starting with this byte is CTF 2 metadata. */
    public static boolean isCtf2(int firstByte) {
        return firstByte == RECORD_SEPARATOR;
    }

    /** Reads and parses a CTF 2 metadata file. */
    public static TraceClass parse(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CtfException(file, -1, "cannot read metadata: " + e.getMessage(), e);
        }
        return parse(file, bytes);
    }

    /** Parses CTF 2 metadata held in memory; {@code file} names it in errors. */
    public static TraceClass parse(Path file, byte[] bytes) {
        return new Ctf2MetadataParser(file).parseAll(bytes);
    }

    private TraceClass parseAll(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != RECORD_SEPARATOR) {
            throw new CtfException(file, 0, "CTF 2 metadata must start with a record separator (0x1E)");
        }
        int start = 1;
        boolean first = true;
        while (start <= bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != RECORD_SEPARATOR) {
                end++;
            }
            Object fragment = Json.parse(file, bytes, start, end);
            if (!(fragment instanceof JsonObject object)) {
                throw new CtfException(file, start, "a metadata fragment must be a JSON object");
            }
            String type = string(object, "type");
            if (first != type.equals("preamble")) {
                throw error(object, first ? "the first fragment must be the preamble, not a " + type
                        : "a second preamble");
            }
            first = false;
            switch (type) {
                case "preamble" -> preamble(object);
                case "trace-class" -> traceClass(object);
                case "clock-class" -> clockClass(object);
                case "data-stream-class" -> dataStreamClass(object);
                case "event-record-class" -> eventRecordClass(object);
                case "field-class-alias" -> {
                    String name = string(object, "name");
                    if (aliases.put(name, required(object, "field-class")) != null) {
                        throw error(object, "field class alias \"" + name + "\" is defined twice");
                    }
                }
                default -> throw error(object, "unknown metadata fragment type \"" + type + "\"");
            }
            start = end + 1;
        }
        Map<Long, StreamClass> streamClasses = new LinkedHashMap<>();
        for (StreamBuilder stream : streams.values()) {
            streamClasses.put(stream.id, new StreamClass(stream.id, stream.packetContext, stream.eventHeader,
                    stream.commonContext, stream.events));
        }
        ByteOrder byteOrder = firstByteOrder == null ? ByteOrder.LITTLE_ENDIAN : firstByteOrder;
        return new TraceClass(2, 0, uuid, byteOrder, packetHeader, environment, clocks, streamClasses);
    }

    // ---------------------------------------------------------------- fragments

    private void preamble(JsonObject object) {
        long version = integer(object, "version");
        if (version != 2) {
            throw error(object, "unsupported CTF version " + version + " (2 expected)");
        }
        Object extensions = object.get("extensions");
        if (extensions instanceof JsonObject declared && !declared.isEmpty()) {
            throw error(declared, "metadata extension \"" + declared.keySet().iterator().next()
                    + "\" is not supported");
        }
        if (object.containsKey("uuid")) {
            uuid = uuid(object, "uuid");
        }
    }

    private void traceClass(JsonObject object) {
        if (sawTraceClass) {
            throw error(object, "a second trace class");
        }
        if (!streams.isEmpty()) {
            throw error(object, "the trace class must come before the data stream classes");
        }
        sawTraceClass = true;
        // Pre-release revisions of CTF 2 put the UUID in the trace class.
        if (uuid == null && object.get("uuid") instanceof JsonArray) {
            uuid = uuid(object, "uuid");
        }
        if (object.get("environment") instanceof JsonObject env) {
            for (Map.Entry<String, Object> entry : env.entrySet()) {
                Object value = entry.getValue();
                if (!(value instanceof String) && !(value instanceof Long)) {
                    throw error(env, "environment entry \"" + entry.getKey() + "\" is neither a string nor a "
                            + "64-bit integer");
                }
                environment.put(entry.getKey(), value);
            }
        } else if (object.containsKey("environment")) {
            throw error(object, "\"environment\" must be an object");
        }
        packetHeader = scope(object, "packet-header-field-class", Scope.PACKET_HEADER, null, traceLayout);
    }

    private void clockClass(JsonObject object) {
        // Pre-release revisions named clock classes by "name" only; CTF 2.0 references them by "id".
        String id = object.containsKey("id") ? string(object, "id") : string(object, "name");
        long frequency = integer(object, "frequency");
        if (frequency <= 0) {
            throw error(object, "clock class " + id + ": frequency must be positive");
        }
        long offsetSeconds = 0;
        long offsetCycles = 0;
        if (object.get("offset-from-origin") instanceof JsonObject offset) {
            offsetSeconds = offset.containsKey("seconds") ? integer(offset, "seconds") : 0;
            offsetCycles = offset.containsKey("cycles") ? integer(offset, "cycles") : 0;
            if (offsetCycles < 0 || offsetCycles >= frequency) {
                throw error(offset, "clock class " + id + ": offset cycles must be below the frequency");
            }
        }
        Object origin = object.get("origin");
        boolean unixEpoch = "unix-epoch".equals(origin);
        if (origin != null && !unixEpoch && !(origin instanceof JsonObject)) {
            throw error(object, "clock class " + id + ": origin must be \"unix-epoch\" or an object");
        }
        long precision = object.containsKey("precision") ? integer(object, "precision") : 0;
        String description = object.get("description") instanceof String text ? text : null;
        UUID clockUuid = null;
        if (object.get("uid") instanceof String uid) {
            try {
                clockUuid = UUID.fromString(uid);
            } catch (IllegalArgumentException notAUuid) {
                // A CTF 2 uid is any text; the model keeps it only when it is a UUID.
            }
        }
        if (clocks.put(id, new ClockClass(id, clockUuid, description, frequency, precision, offsetSeconds,
                offsetCycles, unixEpoch)) != null) {
            throw error(object, "clock class " + id + " is defined twice");
        }
    }

    private void dataStreamClass(JsonObject object) {
        long id = object.containsKey("id") ? unsigned(object, "id") : 0;
        if (streams.containsKey(id)) {
            throw error(object, "data stream class " + id + " is defined twice");
        }
        String clock = null;
        if (object.containsKey("default-clock-class-id")) {
            clock = string(object, "default-clock-class-id");
            if (!clocks.containsKey(clock)) {
                throw error(object, "data stream class " + id + ": no clock class \"" + clock + "\" before it");
            }
        }
        StreamBuilder stream = new StreamBuilder(id, clock);
        stream.packetContext = scope(object, "packet-context-field-class", Scope.PACKET_CONTEXT, clock,
                stream.layout);
        stream.eventHeader = scope(object, "event-record-header-field-class", Scope.EVENT_HEADER, clock,
                stream.layout);
        stream.commonContext = scope(object, "event-record-common-context-field-class", Scope.STREAM_EVENT_CONTEXT,
                clock, stream.layout);
        streams.put(id, stream);
    }

    private void eventRecordClass(JsonObject object) {
        long streamId = object.containsKey("data-stream-class-id") ? unsigned(object, "data-stream-class-id") : 0;
        StreamBuilder stream = streams.get(streamId);
        if (stream == null) {
            throw error(object, "event record class: no data stream class " + streamId + " before it");
        }
        long id = object.containsKey("id") ? unsigned(object, "id") : 0;
        String name = object.containsKey("name") ? string(object, "name") : "";
        StructType context = scope(object, "specific-context-field-class", Scope.EVENT_CONTEXT, stream.clock,
                stream.layout);
        StructType payload = scope(object, "payload-field-class", Scope.EVENT_PAYLOAD, stream.clock,
                stream.layout);
        EventClass event = new EventClass(id, name, streamId, null, null, context, payload, Map.of());
        if (stream.events.put(id, event) != null) {
            throw error(object, "event record class " + id + " of data stream class " + streamId
                    + " is defined twice");
        }
    }

    private static final class StreamBuilder {
        final long id;
        final String clock;
        StructType packetContext;
        StructType eventHeader;
        StructType commonContext;
        final Map<Long, EventClass> events = new LinkedHashMap<>();
        final Layout layout = new Layout();

        StreamBuilder(long id, String clock) {
            this.id = id;
            this.clock = clock;
        }
    }

    // ---------------------------------------------------------------- field classes

    /**
     * What field locations need to know of the scopes parsed so far (the trace's packet header, or one data stream
     * class's scopes): renamed role members, and where the variants are.
     */
    private static final class Layout {
        /** By scope, the paths of role members as written mapped to their paths in the model. */
        final Map<Scope, Map<List<String>, List<String>>> renames = new HashMap<>();
        /** By scope, the paths of variants, mapped to the name of their one option with a field (optionals), or "". */
        final Map<Scope, Map<List<String>, String>> variants = new HashMap<>();
    }

    /**
     * Where a field class is being parsed: its scope, its stream's default clock and renamed role members, its
     * enclosing structures.
     */
    private static final class Context {
        final Scope scope;
        final String clock;
        final Layout layout;
        /** Paths (from the scope root) of the structures enclosing the field class being parsed, outermost first. */
        final List<List<String>> structures = new ArrayList<>();
        int depth;

        Context(Scope scope, String clock, Layout layout) {
            this.scope = scope;
            this.clock = clock;
            this.layout = layout;
        }
    }

    private StructType scope(JsonObject owner, String key, Scope scope, String clock,
                             Layout layout) {
        Object json = owner.get(key);
        if (json == null) {
            return StructType.EMPTY;
        }
        FieldType type = fieldClass(json, new Context(scope, clock, layout), List.of(), owner);
        if (!(type instanceof StructType struct)) {
            throw error(owner, "\"" + key + "\" must be a structure field class");
        }
        return struct;
    }

    /**
     * @param path  names from the scope root to this field
     * @param owner the closest enclosing JSON object, for error offsets
     */
    private FieldType fieldClass(Object json, Context context, List<String> path, JsonObject owner) {
        if (json instanceof String alias) {
            Object resolved = aliases.get(alias);
            if (resolved == null) {
                throw error(owner, "no field class alias \"" + alias + "\" before it");
            }
            json = resolved;
        }
        if (!(json instanceof JsonObject object)) {
            throw error(owner, "a field class must be an object or an alias name");
        }
        if (++context.depth > 64) {
            throw error(object, "field classes nested deeper than 64");
        }
        try {
            return fieldClassObject(object, context, path);
        } finally {
            context.depth--;
        }
    }

    private FieldType fieldClassObject(JsonObject object, Context context, List<String> path) {
        String type = string(object, "type");
        switch (type) {
            case "fixed-length-unsigned-integer", "fixed-length-signed-integer",
                    "fixed-length-unsigned-enumeration", "fixed-length-signed-enumeration" -> {
                boolean signed = type.contains("signed-") && !type.contains("unsigned");
                long length = integer(object, "length");
                if (length < 1 || length > IntegerType.MAX_SIZE_BITS) {
                    throw error(object, "integer length " + length + " is out of range");
                }
                ByteOrder order = byteOrder(object);
                IntegerType integer = new IntegerType((int) length, alignment(object, "alignment"), signed, order,
                        displayBase(object), Encoding.NONE, null);
                // Pre-release revisions had enumeration types; CTF 2.0 has integers with mappings.
                if (type.endsWith("enumeration") && !object.containsKey("mappings")) {
                    throw error(object, type + " without mappings");
                }
                return withMappings(object, integer);
            }
            case "variable-length-unsigned-integer", "variable-length-signed-integer" -> {
                boolean signed = type.equals("variable-length-signed-integer");
                return withMappings(object, IntegerType.variableLength(signed, displayBase(object), null));
            }
            case "fixed-length-boolean", "fixed-length-bit-array" -> {
                long length = integer(object, "length");
                if (length < 1 || length > 64) {
                    throw error(object, type + " length " + length + " is out of range (1 to 64)");
                }
                return new IntegerType((int) length, alignment(object, "alignment"), false, byteOrder(object),
                        type.equals("fixed-length-boolean") ? 10 : 16, Encoding.NONE, null);
            }
            case "fixed-length-floating-point-number" -> {
                long length = integer(object, "length");
                if (length != 32 && length != 64) {
                    throw error(object, length + "-bit floating point numbers are not supported (32 or 64)");
                }
                return length == 32 ? new FloatType(8, 24, alignment(object, "alignment"), byteOrder(object))
                        : new FloatType(11, 53, alignment(object, "alignment"), byteOrder(object));
            }
            case "null-terminated-string" -> {
                checkUtf8(object);
                return new StringType(Encoding.UTF8);
            }
            case "static-length-string" -> {
                checkUtf8(object);
                return new ArrayType(textByte(), length(object));
            }
            case "dynamic-length-string" -> {
                checkUtf8(object);
                return sequence(object, textByte(), context, path);
            }
            case "static-length-blob" -> {
                return new ArrayType(blobByte(), length(object));
            }
            case "dynamic-length-blob" -> {
                return sequence(object, blobByte(), context, path);
            }
            case "structure" -> {
                return structure(object, context, path);
            }
            case "static-length-array" -> {
                FieldType element = fieldClass(required(object, "element-field-class"), context, path, object);
                checkArrayAlignment(object, element);
                return new ArrayType(element, length(object));
            }
            case "dynamic-length-array" -> {
                FieldType element = fieldClass(required(object, "element-field-class"), context, path, object);
                checkArrayAlignment(object, element);
                return sequence(object, element, context, path);
            }
            case "optional" -> {
                return optional(object, context, path);
            }
            case "variant" -> {
                return variant(object, context, path);
            }
            default -> throw error(object, "field class type \"" + type + "\" is not supported");
        }
    }

    private StructType structure(JsonObject object, Context context, List<String> path) {
        int alignment = object.containsKey("minimum-alignment") ? alignment(object, "minimum-alignment") : 1;
        List<Field> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        context.structures.add(path);
        try {
            Object members = object.get("member-classes");
            JsonArray list = members == null ? new JsonArray(object.offset) : array(object, "member-classes");
            for (Object item : list) {
                if (!(item instanceof JsonObject member)) {
                    throw error(list, "a structure member class must be an object");
                }
                String written = string(member, "name");
                List<String> memberPath = append(path, written);
                Object fieldClass = required(member, "field-class");
                FieldType type = fieldClass(fieldClass, context, memberPath, member);
                String role = role(fieldClass, member);
                String name = role == null ? written : roleName(role, context, path, member);
                if (role == null && isReserved(context.scope, path, written)) {
                    throw error(member, "field \"" + written + "\" has no role, but the reader would take it for "
                            + "the field of that name in CTF 1.8; rename it");
                }
                if (role != null && role.equals(DEFAULT_CLOCK_TIMESTAMP)) {
                    type = mapToClock(type, context, member);
                } else if (role != null && role.equals("packet-end-default-clock-timestamp")) {
                    type = mapToClock(type, context, member);
                }
                if (role != null) {
                    checkRoleType(role, type, member);
                }
                if (!name.equals(written)) {
                    context.layout.renames.computeIfAbsent(context.scope, s -> new HashMap<>())
                            .put(memberPath, append(path, name));
                }
                if (!names.add(name)) {
                    throw error(member, "structure has two members named \"" + name + "\"");
                }
                fields.add(new Field(name, type));
                alignment = Math.max(alignment, type.alignmentBits());
            }
        } finally {
            context.structures.remove(context.structures.size() - 1);
        }
        return new StructType(fields, alignment);
    }

    /** Whether a field without a role is named like one the reader interprets at this position. */
    private static boolean isReserved(Scope scope, List<String> structurePath, String name) {
        Set<String> reserved = RESERVED.get(scope);
        if (reserved == null || !reserved.contains(name)) {
            return false;
        }
        // Top-level fields, and in the event header "timestamp" anywhere and "id" in an option of variant "v".
        return structurePath.isEmpty() || name.equals("timestamp")
                || structurePath.size() == 2 && structurePath.get(0).equals("v");
    }

    /** The one role of a member's field class, or null. */
    private String role(Object fieldClass, JsonObject member) {
        Object json = fieldClass instanceof String alias ? aliases.get(alias) : fieldClass;
        if (!(json instanceof JsonObject object) || !object.containsKey("roles")) {
            return null;
        }
        JsonArray roles = array(object, "roles");
        if (roles.isEmpty()) {
            return null;
        }
        if (roles.size() > 1) {
            throw error(roles, "a field with several roles is not supported");
        }
        if (!(roles.get(0) instanceof String role)) {
            throw error(roles, "a role must be a string");
        }
        if (!ROLE_NAMES.containsKey(role) && !role.equals(DEFAULT_CLOCK_TIMESTAMP)) {
            throw error(roles, "unknown role \"" + role + "\"");
        }
        return role;
    }

    /** The CTF 1.8 name of a role's field, after checking the field sits where the reader looks for it. */
    private String roleName(String role, Context context, List<String> structurePath, JsonObject member) {
        boolean topLevel = structurePath.isEmpty();
        Scope scope = context.scope;
        String name;
        boolean placed;
        switch (role) {
            case "packet-magic-number", "metadata-stream-uuid", "data-stream-class-id", "data-stream-id" -> {
                name = ROLE_NAMES.get(role);
                placed = scope == Scope.PACKET_HEADER && topLevel;
            }
            case "event-record-class-id" -> {
                name = ROLE_NAMES.get(role);
                // At the top of the header, or in an option of the top-level variant "v" (the LTTng layout).
                placed = scope == Scope.EVENT_HEADER && (topLevel
                        || structurePath.size() == 2 && structurePath.get(0).equals("v"));
            }
            case DEFAULT_CLOCK_TIMESTAMP -> {
                if (scope == Scope.PACKET_CONTEXT) {
                    name = "timestamp_begin";
                    placed = topLevel;
                } else {
                    name = "timestamp";
                    placed = scope == Scope.EVENT_HEADER;
                }
            }
            default -> {
                name = ROLE_NAMES.get(role);
                placed = scope == Scope.PACKET_CONTEXT && topLevel;
            }
        }
        if (!placed) {
            throw error(member, "role " + role + " is only supported on a field at the top of its scope (the "
                    + "event record class id also in an option of the event header's variant \"v\"), not in the "
                    + scope.name().toLowerCase() + (topLevel ? "" : " at " + String.join(".", structurePath)));
        }
        return name;
    }

    private void checkRoleType(String role, FieldType type, JsonObject member) {
        boolean ok;
        if (role.equals("metadata-stream-uuid")) {
            ok = type instanceof ArrayType array && array.length() == 16;
        } else {
            IntegerType integer = type instanceof EnumType enumType ? enumType.container()
                    : type instanceof IntegerType plain ? plain : null;
            ok = integer != null && !integer.signed() && !integer.wide();
        }
        if (!ok) {
            throw error(member, "role " + role + " needs "
                    + (role.equals("metadata-stream-uuid") ? "a 16-byte static-length blob" : "an unsigned integer"));
        }
    }

    private FieldType mapToClock(FieldType type, Context context, JsonObject member) {
        if (context.clock == null) {
            throw error(member, "a clock timestamp role in a data stream class without a default clock class");
        }
        if (type instanceof IntegerType i) {
            return withClock(i, context.clock);
        }
        if (type instanceof EnumType e) {
            return new EnumType(withClock(e.container(), context.clock), e.mappings());
        }
        return type;
    }

    private static IntegerType withClock(IntegerType i, String clock) {
        return new IntegerType(i.sizeBits(), i.alignmentBits(), i.signed(), i.byteOrder(), i.base(), i.encoding(),
                clock, i.variableLength());
    }

    private FieldType withMappings(JsonObject object, IntegerType integer) {
        Object json = object.get("mappings");
        if (json == null) {
            return integer;
        }
        if (!(json instanceof JsonObject mappings)) {
            throw error(object, "\"mappings\" must be an object");
        }
        if (integer.wide()) {
            throw error(object, "mappings on an integer wider than 64 bits are not supported");
        }
        List<EnumType.Mapping> list = new ArrayList<>();
        for (Map.Entry<String, Object> entry : mappings.entrySet()) {
            if (!(entry.getValue() instanceof JsonArray ranges)) {
                throw error(mappings, "mapping \"" + entry.getKey() + "\" must be an array of ranges");
            }
            for (VariantType.Range range : ranges(ranges)) {
                list.add(new EnumType.Mapping(entry.getKey(), range.lower(), range.upper()));
            }
        }
        return new EnumType(integer, list);
    }

    private SequenceType sequence(JsonObject object, FieldType element, Context context, List<String> path) {
        Object location = required(object, "length-field-location");
        return new SequenceType(element, fieldRef(location, context, object, path), locationText(location));
    }

    private VariantType optional(JsonObject object, Context context, List<String> path) {
        Object location = required(object, "selector-field-location");
        FieldRef selector = fieldRef(location, context, object, path);
        context.layout.variants.computeIfAbsent(context.scope, s -> new HashMap<>()).put(path, "value");
        FieldType field = fieldClass(required(object, "field-class"), context, append(path, "value"), object);
        List<Field> options = List.of(new Field("none", new StructType(List.of(), 1)), new Field("value", field));
        List<List<VariantType.Range>> ranges;
        if (object.containsKey("selector-field-ranges")) {
            // An integer selector: the field is there when the selector is in the ranges.
            ranges = List.of(List.of(), ranges(array(object, "selector-field-ranges")));
        } else {
            // A boolean selector: the field is there unless the selector is false.
            ranges = List.of(List.of(new VariantType.Range(0, 0)), List.of());
        }
        return new VariantType(selector, locationText(location), options, ranges);
    }

    private VariantType variant(JsonObject object, Context context, List<String> path) {
        Object location = required(object, "selector-field-location");
        FieldRef selector = fieldRef(location, context, object, path);
        context.layout.variants.computeIfAbsent(context.scope, s -> new HashMap<>()).put(path, "");
        JsonArray list = array(object, "options");
        if (list.isEmpty()) {
            throw error(list, "a variant needs at least one option");
        }
        List<Field> options = new ArrayList<>();
        List<List<VariantType.Range>> ranges = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object item : list) {
            if (!(item instanceof JsonObject option)) {
                throw error(list, "a variant option must be an object");
            }
            String name = option.containsKey("name") ? string(option, "name") : "";
            if (!name.isEmpty() && !names.add(name)) {
                throw error(option, "variant has two options named \"" + name + "\"");
            }
            FieldType type = fieldClass(required(option, "field-class"), context, append(path, name), option);
            List<VariantType.Range> optionRanges = ranges(array(option, "selector-field-ranges"));
            if (optionRanges.isEmpty()) {
                throw error(option, "a variant option needs at least one selector range");
            }
            options.add(new Field(name, type));
            ranges.add(optionRanges);
        }
        return new VariantType(selector, locationText(location), options, ranges);
    }

    private List<VariantType.Range> ranges(JsonArray json) {
        List<VariantType.Range> ranges = new ArrayList<>();
        for (Object item : json) {
            if (!(item instanceof JsonArray pair) || pair.size() != 2) {
                throw error(json, "an integer range must be an array of two integers");
            }
            BigInteger lower = bigInteger(pair, pair.get(0));
            BigInteger upper = bigInteger(pair, pair.get(1));
            if (lower.compareTo(upper) > 0) {
                throw error(pair, "integer range [" + lower + ", " + upper + "] has its lower bound above its upper");
            }
            // Raw 64-bit values: negative bounds belong to signed selectors, bounds above 2^63-1 to unsigned ones.
            ranges.add(new VariantType.Range(lower.longValue(), upper.longValue()));
        }
        return ranges;
    }

    private BigInteger bigInteger(JsonArray owner, Object value) {
        BigInteger number = value instanceof Long l ? BigInteger.valueOf(l) : value instanceof BigInteger b ? b : null;
        if (number == null || number.bitLength() > 64 || number.signum() < 0 && number.bitLength() > 63) {
            throw error(owner, "range bound " + value + " is not a 64-bit integer");
        }
        return number;
    }

    /**
     * A field location: {@code {"origin": ..., "path": [...]}} (CTF 2.0) or {@code [origin, names...]} (pre-release),
     * for the field at {@code user} (path from its scope root).
     */
    private FieldRef fieldRef(Object json, Context context, JsonObject owner, List<String> user) {
        Scope origin;
        List<Object> path;
        if (json instanceof JsonObject location) {
            origin = location.containsKey("origin") ? origin(location, location.get("origin")) : null;
            path = array(location, "path");
        } else if (json instanceof JsonArray location && !location.isEmpty()) {
            origin = origin(owner, location.get(0));
            path = location.subList(1, location.size());
        } else {
            throw error(owner, "a field location must be an object with a path");
        }
        if (path.isEmpty()) {
            throw error(owner, "a field location path must not be empty");
        }
        // The model path of the structure a relative location starts from, then the location's member names.
        List<String> prefix = List.of();
        List<String> names = new ArrayList<>();
        if (origin == null) {
            // Relative: from the structure holding the field class with the location, each null going one
            // structure up.
            int structure = context.structures.size() - 1;
            int i = 0;
            while (i < path.size() && path.get(i) == Json.NULL) {
                structure--;
                i++;
            }
            if (structure < 0) {
                throw error(owner, "field location " + locationText(json) + " goes above its scope");
            }
            prefix = context.structures.get(structure);
            path = path.subList(i, path.size());
            origin = context.scope;
        }
        for (Object element : path) {
            if (!(element instanceof String name)) {
                throw error(owner, "field location " + locationText(json) + ": only leading path elements may be "
                        + "null");
            }
            names.add(name);
        }
        Layout layout = origin == Scope.PACKET_HEADER ? traceLayout : context.layout;
        // A CTF 2 location names structure members only and goes through variants into the option being decoded;
        // a model reference names the option too. That option is the one enclosing the user, or the only one.
        Map<List<String>, String> variants = layout.variants.getOrDefault(origin, Map.of());
        List<String> target = new ArrayList<>(prefix);
        for (int i = 0; i < names.size(); i++) {
            target.add(names.get(i));
            String only = variants.get(target);
            if (only != null && i < names.size() - 1) {
                boolean encloses = origin == context.scope && user.size() > target.size()
                        && user.subList(0, target.size()).equals(target);
                if (encloses) {
                    target.add(user.get(target.size()));
                } else if (!only.isEmpty()) {
                    target.add(only);
                } else {
                    throw error(owner, "field location " + locationText(json) + " goes through variant "
                            + String.join(".", target) + " that does not enclose it: the option it means is only "
                            + "known while decoding, which is not supported");
                }
            }
        }
        // A location names a role member as written; the model names it after its role.
        List<String> model = List.copyOf(target);
        return new FieldRef(origin, layout.renames.getOrDefault(origin, Map.of()).getOrDefault(model, model));
    }

    private Scope origin(JsonObject owner, Object value) {
        Scope scope = value instanceof String name ? ORIGINS.get(name) : null;
        if (scope == null) {
            throw error(owner, "unknown field location origin " + value);
        }
        return scope;
    }

    private static String locationText(Object json) {
        if (json instanceof JsonObject location) {
            List<String> parts = new ArrayList<>();
            if (location.get("origin") instanceof String origin) {
                parts.add(origin);
            }
            if (location.get("path") instanceof JsonArray path) {
                path.forEach(element -> parts.add(String.valueOf(element)));
            }
            return String.join(".", parts);
        }
        if (json instanceof JsonArray location) {
            List<String> parts = new ArrayList<>();
            location.forEach(element -> parts.add(String.valueOf(element)));
            return String.join(".", parts);
        }
        return String.valueOf(json);
    }

    private void checkArrayAlignment(JsonObject object, FieldType element) {
        if (object.containsKey("minimum-alignment")
                && alignment(object, "minimum-alignment") > element.alignmentBits()) {
            throw error(object, "an array minimum alignment above its element's alignment is not supported");
        }
    }

    private void checkUtf8(JsonObject object) {
        if (object.containsKey("encoding") && !"utf-8".equals(object.get("encoding"))) {
            throw error(object, "string encoding " + object.get("encoding") + " is not supported (only utf-8)");
        }
    }

    private static IntegerType textByte() {
        return new IntegerType(8, 8, false, ByteOrder.LITTLE_ENDIAN, 10, Encoding.UTF8, null);
    }

    private static IntegerType blobByte() {
        return new IntegerType(8, 8, false, ByteOrder.LITTLE_ENDIAN, 16, Encoding.NONE, null);
    }

    private int length(JsonObject object) {
        long length = integer(object, "length");
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw error(object, "length " + length + " is out of range");
        }
        return (int) length;
    }

    private ByteOrder byteOrder(JsonObject object) {
        String name = string(object, "byte-order");
        ByteOrder order = switch (name) {
            case "little-endian" -> ByteOrder.LITTLE_ENDIAN;
            case "big-endian" -> ByteOrder.BIG_ENDIAN;
            default -> throw error(object, "unknown byte order \"" + name + "\"");
        };
        if (object.containsKey("bit-order")) {
            String natural = order == ByteOrder.LITTLE_ENDIAN ? "first-to-last" : "last-to-first";
            if (!natural.equals(object.get("bit-order"))) {
                throw error(object, "bit order " + object.get("bit-order") + " with byte order " + name
                        + " is not supported");
            }
        }
        if (firstByteOrder == null) {
            firstByteOrder = order;
        }
        return order;
    }

    private int alignment(JsonObject object, String key) {
        if (!object.containsKey(key)) {
            return 1;
        }
        long alignment = integer(object, key);
        if (alignment < 1 || alignment > (1 << 30) || (alignment & (alignment - 1)) != 0) {
            throw error(object, "\"" + key + "\" must be a positive power of two");
        }
        return (int) alignment;
    }

    private int displayBase(JsonObject object) {
        if (!object.containsKey("preferred-display-base")) {
            return 10;
        }
        long base = integer(object, "preferred-display-base");
        if (base != 2 && base != 8 && base != 10 && base != 16) {
            throw error(object, "preferred display base must be 2, 8, 10 or 16");
        }
        return (int) base;
    }

    private UUID uuid(JsonObject object, String key) {
        JsonArray bytes = array(object, key);
        if (bytes.size() != 16) {
            throw error(bytes, "a UUID must be an array of 16 bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate(16);
        for (Object value : bytes) {
            if (!(value instanceof Long b) || b < 0 || b > 255) {
                throw error(bytes, "a UUID must be an array of 16 bytes");
            }
            buffer.put((byte) (long) b);
        }
        buffer.flip();
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    // ---------------------------------------------------------------- JSON access

    private static List<String> append(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path);
        longer.add(name);
        return List.copyOf(longer);
    }

    private Object required(JsonObject object, String key) {
        Object value = object.get(key);
        if (value == null) {
            throw error(object, "missing \"" + key + "\"");
        }
        return value;
    }

    private String string(JsonObject object, String key) {
        if (!(required(object, key) instanceof String value)) {
            throw error(object, "\"" + key + "\" must be a string");
        }
        return value;
    }

    private JsonArray array(JsonObject object, String key) {
        if (!(required(object, key) instanceof JsonArray value)) {
            throw error(object, "\"" + key + "\" must be an array");
        }
        return value;
    }

    private long integer(JsonObject object, String key) {
        if (!(required(object, key) instanceof Long value)) {
            throw error(object, "\"" + key + "\" must be a 64-bit integer");
        }
        return value;
    }

    private long unsigned(JsonObject object, String key) {
        Object value = required(object, key);
        if (value instanceof Long l && l >= 0) {
            return l;
        }
        if (value instanceof BigInteger big && big.signum() >= 0 && big.bitLength() <= 64) {
            return big.longValue();
        }
        throw error(object, "\"" + key + "\" must be an unsigned 64-bit integer");
    }

    private CtfException error(JsonObject object, String problem) {
        return new CtfException(file, object.offset, problem);
    }

    private CtfException error(JsonArray array, String problem) {
        return new CtfException(file, array.offset, problem);
    }
}
