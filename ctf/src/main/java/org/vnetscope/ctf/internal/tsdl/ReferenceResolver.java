package org.vnetscope.ctf.internal.tsdl;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.Callsite;
import org.vnetscope.ctf.meta.ClockClass;
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
 * Places the parsed types in their dynamic scopes: resolves native byte orders to the trace's, and variant tags
 * and sequence lengths to absolute {@link FieldRef}s, checking that each designates a field decoded before of the
 * right kind. Relative references are looked up in the structure that lexically enclosed them when it is an
 * ancestor of the field, else in the enclosing structures innermost first (members before the field only), then
 * in the earlier scopes from the latest one.
 */
final class ReferenceResolver {

    private final MetadataText source;
    private final Map<FieldType, Reference> references;
    private final ByteOrder traceOrder;

    /** Unresolved roots of the scopes decoded so far for the stream or event being resolved. */
    private final Map<Scope, StructType> roots = new EnumMap<>(Scope.class);
    private Scope scope;
    /** Enclosing structures of the field being resolved, innermost first. */
    private final Deque<Frame> frames = new ArrayDeque<>();

    ReferenceResolver(MetadataText source, Map<FieldType, Reference> references, ByteOrder traceOrder) {
        this.source = source;
        this.references = references;
        this.traceOrder = traceOrder;
    }

    TraceClass build(MetadataParser.TraceBlock trace, List<MetadataParser.StreamBlock> streamBlocks,
                     List<MetadataParser.EventBlock> eventBlocks, Map<String, Object> env,
                     Map<String, ClockClass> clocks, List<Callsite> callsites) {
        StructType packetHeader = resolveScope(Scope.PACKET_HEADER, trace.packetHeader);
        Map<Scope, StructType> traceRoots = new EnumMap<>(roots);

        List<MetadataParser.StreamBlock> blocks = new ArrayList<>(streamBlocks);
        if (blocks.isEmpty()) {
            MetadataParser.StreamBlock implicit = new MetadataParser.StreamBlock(0);
            implicit.id = 0L;
            blocks.add(implicit);
        }
        Map<Long, StreamDraft> drafts = new LinkedHashMap<>();
        for (MetadataParser.StreamBlock block : blocks) {
            long id = block.id != null ? block.id : 0;
            if (block.id == null && blocks.size() > 1) {
                throw source.error(block.position, "stream without id among several streams: expected id = ...;");
            }
            if (drafts.containsKey(id)) {
                throw source.error(block.position, "stream id " + id + " declared twice");
            }
            roots.clear();
            roots.putAll(traceRoots);
            StreamDraft draft = new StreamDraft(id);
            draft.packetContext = resolveScope(Scope.PACKET_CONTEXT, block.packetContext);
            draft.eventHeader = resolveScope(Scope.EVENT_HEADER, block.eventHeader);
            draft.eventContext = resolveScope(Scope.STREAM_EVENT_CONTEXT, block.eventContext);
            draft.roots = new EnumMap<>(roots);
            drafts.put(id, draft);
        }

        for (MetadataParser.EventBlock block : eventBlocks) {
            StreamDraft stream;
            if (block.streamId == null) {
                if (drafts.size() > 1) {
                    throw source.error(block.position, "event '" + block.name + "' has no stream_id but there are "
                            + drafts.size() + " streams: expected stream_id = ...;");
                }
                stream = drafts.values().iterator().next();
            } else {
                stream = drafts.get(block.streamId);
                if (stream == null) {
                    throw source.error(block.position, "event '" + block.name + "' refers to undeclared stream "
                            + block.streamId);
                }
            }
            long id = block.id != null ? block.id : 0;
            if (stream.events.containsKey(id)) {
                throw source.error(block.position, "event id " + id + " of '" + block.name
                        + "' already used by '" + stream.events.get(id).name() + "' in stream " + stream.id);
            }
            roots.clear();
            roots.putAll(stream.roots);
            StructType context = resolveScope(Scope.EVENT_CONTEXT, block.context);
            StructType payload = resolveScope(Scope.EVENT_PAYLOAD, block.payload);
            stream.events.put(id, new EventClass(id, block.name, stream.id, block.logLevel, block.modelEmfUri,
                    context, payload, Map.copyOf(block.attributes)));
        }

        Map<Long, StreamClass> streams = new LinkedHashMap<>();
        for (StreamDraft draft : drafts.values()) {
            streams.put(draft.id, new StreamClass(draft.id, draft.packetContext, draft.eventHeader,
                    draft.eventContext, java.util.Collections.unmodifiableMap(draft.events)));
        }
        return new TraceClass(trace.major, trace.minor, trace.uuid, trace.byteOrder, packetHeader,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env)),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clocks)),
                java.util.Collections.unmodifiableMap(streams), List.copyOf(callsites));
    }

    private StructType resolveScope(Scope scope, StructType root) {
        this.scope = scope;
        roots.put(scope, root);
        if (root == StructType.EMPTY) {
            return root;
        }
        return (StructType) resolve(root, null);
    }

    /**
     * Integers of native byte order with the trace's: the parser gives alike declarations one instance, so their
     * resolved type is made once too.
     */
    private final Map<IntegerType, IntegerType> resolvedIntegers = new IdentityHashMap<>();

    /** The type with byte orders and references resolved; {@code path} is where it sits in its scope. */
    private FieldType resolve(FieldType type, FieldPath path) {
        if (type instanceof IntegerType integer) {
            if (integer.byteOrder() != null) {
                return integer;
            }
            IntegerType resolved = resolvedIntegers.get(integer);
            if (resolved == null) {
                resolved = new IntegerType(integer.sizeBits(), integer.alignmentBits(), integer.signed(), traceOrder,
                        integer.base(), integer.encoding(), integer.mappedClock());
                resolvedIntegers.put(integer, resolved);
            }
            return resolved;
        } else if (type instanceof FloatType floating) {
            return floating.byteOrder() != null ? floating : new FloatType(floating.exponentDigits(),
                    floating.mantissaDigits(), floating.alignmentBits(), traceOrder);
        } else if (type instanceof StringType) {
            return type;
        } else if (type instanceof EnumType enumeration) {
            return new EnumType((IntegerType) resolve(enumeration.container(), path), enumeration.mappings());
        } else if (type instanceof StructType struct) {
            Frame frame = new Frame(struct, path);
            frames.push(frame);
            List<Field> fields = new ArrayList<>(struct.fields().size());
            for (Field field : struct.fields()) {
                fields.add(new Field(field.name(), resolve(field.type(), new FieldPath(path, field.name()))));
                frame.decoded++;
            }
            frames.pop();
            return new StructType(fields, struct.alignmentBits());
        } else if (type instanceof VariantType variant) {
            FieldRef tag = resolveReference(variant, path);
            List<Field> options = new ArrayList<>(variant.options().size());
            for (Field option : variant.options()) {
                options.add(new Field(option.name(), resolve(option.type(), new FieldPath(path, option.name()))));
            }
            return new VariantType(tag, variant.tagText(), options);
        } else if (type instanceof ArrayType array) {
            return new ArrayType(resolve(array.element(), path), array.length());
        } else {
            SequenceType sequence = (SequenceType) type;
            FieldRef length = resolveReference(sequence, path);
            return new SequenceType(resolve(sequence.element(), path), length, sequence.lengthText());
        }
    }

    private FieldRef resolveReference(FieldType referrer, FieldPath path) {
        Reference reference = references.get(referrer);
        if (reference.absoluteScope() != null) {
            return resolveAbsolute(referrer, reference, path);
        }
        if (reference.owner() != null) {
            for (Frame frame : frames) {
                if (frame.struct == reference.owner().built) {
                    List<String> names = FieldPath.names(frame.path);
                    FieldType node = frame.struct;
                    for (int index : reference.ownerIndexes()) {
                        Field field = ((StructType) node).fields().get(index);
                        names.add(field.name());
                        node = field.type();
                    }
                    return new FieldRef(scope, names);
                }
            }
        }
        for (Frame frame : frames) {
            int index = MetadataParser.indexOfMember(frame.struct, reference.path().get(0));
            if (index >= 0 && index < frame.decoded) {
                Target target = navigate(frame.struct, reference.path(), reference);
                List<String> names = FieldPath.names(frame.path);
                names.addAll(target.names);
                check(referrer, target.type, reference);
                return new FieldRef(scope, names);
            }
        }
        for (int s = scope.ordinal() - 1; s >= 0; s--) {
            Scope earlier = Scope.values()[s];
            StructType root = roots.get(earlier);
            if (root != null && MetadataParser.indexOfMember(root, reference.path().get(0)) >= 0) {
                Target target = navigate(root, reference.path(), reference);
                check(referrer, target.type, reference);
                return new FieldRef(earlier, target.names);
            }
        }
        throw source.error(reference.position(), "cannot resolve '" + reference.text() + "': no such field "
                + "decoded before it");
    }

    private FieldRef resolveAbsolute(FieldType referrer, Reference reference, FieldPath path) {
        Scope target = reference.absoluteScope();
        StructType root = roots.get(target);
        if (target.compareTo(scope) > 0 || root == null) {
            throw source.error(reference.position(), "'" + reference.text() + "' refers to scope " + target
                    + ", which is not decoded before " + scope);
        }
        Target found = navigate(root, reference.path(), reference);
        if (target == scope && !decodedBefore(root, found.names, FieldPath.names(path))) {
            throw source.error(reference.position(), "'" + reference.text() + "' is not decoded before the field "
                    + "that refers to it");
        }
        check(referrer, found.type, reference);
        return new FieldRef(target, found.names);
    }

    /** Whether, within one scope, the field at {@code target} is decoded before the one at {@code current}. */
    private static boolean decodedBefore(StructType root, List<String> target, List<String> current) {
        FieldType node = root;
        for (int depth = 0; depth < Math.min(target.size(), current.size()); depth++) {
            if (!(node instanceof StructType struct)) {
                return false;
            }
            int targetIndex = struct.indexOf(target.get(depth));
            int currentIndex = struct.indexOf(current.get(depth));
            if (targetIndex != currentIndex) {
                return targetIndex < currentIndex;
            }
            node = struct.fields().get(targetIndex).type();
        }
        return false;
    }

    private Target navigate(StructType root, List<String> components, Reference reference) {
        List<String> names = new ArrayList<>(components.size());
        FieldType node = root;
        for (String component : components) {
            int index = node instanceof StructType struct ? MetadataParser.indexOfMember(struct, component) : -1;
            if (index < 0) {
                throw source.error(reference.position(), "cannot resolve '" + reference.text() + "': no field '"
                        + component + "'");
            }
            Field field = ((StructType) node).fields().get(index);
            names.add(field.name());
            node = field.type();
        }
        return new Target(names, node);
    }

    private void check(FieldType referrer, FieldType target, Reference reference) {
        if (referrer instanceof VariantType variant) {
            checkTag(source, variant, target, reference);
        } else if (!(target instanceof IntegerType integer) || integer.signed() || integer.wide()) {
            throw source.error(reference.position(), "sequence length '" + reference.text()
                    + "' must be an unsigned integer field");
        }
    }

    /**
     * Checks that a variant's tag is an enumeration whose labels select at least one option. An option that no
     * label selects is legal (it is never chosen), and so is a label naming no option (decoding a value with that
     * label is an error of the stream); a tag that can select nothing at all is a broken declaration.
     */
    static void checkTag(MetadataText source, VariantType variant, FieldType target, Reference reference) {
        if (!(target instanceof EnumType enumeration)) {
            throw source.error(reference.position(), "variant tag '" + reference.text() + "' must be an enum field");
        }
        boolean selectsAnOption = false;
        for (EnumType.Mapping mapping : enumeration.mappings()) {
            selectsAnOption |= variant.indexOf(mapping.label()) >= 0;
        }
        if (!selectsAnOption && !variant.options().isEmpty()) {
            throw source.error(reference.position(), "no label of the variant tag enum '" + reference.text()
                    + "' names an option of the variant");
        }
    }

    /**
     * The names leading to a field from its scope's root, innermost last, linked rather than copied for every field:
     * only references need them as a list.
     */
    private record FieldPath(FieldPath parent, String name) {
        /** The names of a path (null for the root) as a new list, outermost first. */
        static List<String> names(FieldPath path) {
            int depth = 0;
            for (FieldPath at = path; at != null; at = at.parent) {
                depth++;
            }
            String[] names = new String[depth];
            for (FieldPath at = path; at != null; at = at.parent) {
                names[--depth] = at.name;
            }
            return new ArrayList<>(java.util.Arrays.asList(names));
        }
    }

    private static final class Frame {
        final StructType struct;
        final FieldPath path;
        /** Number of members already resolved: only those are decoded before the current one. */
        int decoded;

        Frame(StructType struct, FieldPath path) {
            this.struct = struct;
            this.path = path;
        }
    }

    private record Target(List<String> names, FieldType type) {
    }

    private static final class StreamDraft {
        final long id;
        StructType packetContext;
        StructType eventHeader;
        StructType eventContext;
        Map<Scope, StructType> roots;
        final Map<Long, EventClass> events = new LinkedHashMap<>();

        StreamDraft(long id) {
            this.id = id;
        }
    }
}
