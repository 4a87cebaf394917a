package org.vnetscope.ctf.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.VariantType;

/**
 * Which parts of a field type babeltrace2 shows. Its CTF source keeps out of its trace model the integers that
 * only drive decoding: those mapped to a clock and the packet-context fields that it turns into packet
 * properties (begin/end time, sizes, counters), unless a printed sequence or variant uses them as length or tag.
 * A structure left with no shown member disappears too, unless it was declared empty; a variant with one shown
 * option shows all of them; an array shows when its element does. A scope whose structure disappears is not
 * printed at all, not even as {@code { }}.
 *
 * <p>A shape mirrors a type tree: {@code children} are the structure's fields, the variant's options, or the
 * array's single element.
 */
final class Shape {

    private static final Set<String> PACKET_PROPERTIES = Set.of("timestamp_begin", "timestamp_end",
            "content_size", "packet_size", "events_discarded", "packet_seq_num");

    final FieldType type;
    final boolean shown;
    final Shape[] children;
    /** An array or sequence of 8-bit, byte-aligned characters: printed as a string. */
    final boolean text;
    /**
     * The number of nodes of this shape's tree, itself included: a node's slot, its rank in a pre-order walk
     * of its scope (see {@link org.vnetscope.ctf.internal.ValueVisitor}), follows from its elders' sizes.
     */
    final int size;

    private Shape(FieldType type, boolean shown, Shape[] children) {
        this.type = type;
        this.shown = shown;
        this.children = children;
        this.text = isText(type);
        int nodes = 1;
        for (Shape child : children == null ? new Shape[0] : children) {
            nodes += child.size;
        }
        this.size = nodes;
    }

    /** This scope's shapes by slot: the root, then each child's subtree in order. */
    Shape[] bySlot() {
        Shape[] all = new Shape[size];
        fill(all, 0);
        return all;
    }

    private void fill(Shape[] all, int slot) {
        all[slot] = this;
        int next = slot + 1;
        if (children != null) {
            for (Shape child : children) {
                child.fill(all, next);
                next += child.size;
            }
        }
    }

    private Shape shownAnyway() {
        return shown ? this : new Shape(type, true, children);
    }

    private static boolean isText(FieldType type) {
        FieldType element;
        if (type instanceof ArrayType array) {
            element = array.element();
        } else if (type instanceof SequenceType sequence) {
            element = sequence.element();
        } else {
            return false;
        }
        IntegerType integer = element instanceof EnumType enumType ? enumType.container()
                : element instanceof IntegerType plain ? plain : null;
        return integer != null && integer.sizeBits() == 8 && integer.alignmentBits() == 8
                && integer.encoding() != org.vnetscope.ctf.meta.Encoding.NONE;
    }

    /** The shapes of every printed scope of one stream class and its event classes. */
    static final class StreamShapes {
        final Shape packetContext;
        final Shape eventCommonContext;
        /**
         * Whether babeltrace2 gives the stream class a clock, hence timestamps: a field of the packet context,
         * event header or stream event context is mapped to one, or the event header has a {@code timestamp}
         * or the packet context a {@code timestamp_begin}/{@code timestamp_end} integer, which it maps to the
         * only clock or to a default one.
         */
        final boolean hasClock;
        private final java.util.Map<Long, Shape[]> byEventClassId = new java.util.HashMap<>();

        /** The event context and payload shapes of an event class (each null when not printed). */
        Shape[] eventShapes(EventClass eventClass) {
            return byEventClassId.get(eventClass.id());
        }

        StreamShapes(StreamClass streamClass) {
            // Walk in reverse decoding order, as a length or a tag always comes before its user.
            Set<String> streamDependencies = new HashSet<>();
            for (EventClass eventClass : streamClass.events().values()) {
                Set<String> eventDependencies = new HashSet<>();
                Builder builder = new Builder(streamDependencies, eventDependencies);
                Shape payload = builder.scope(eventClass.payload(), Scope.EVENT_PAYLOAD);
                Shape context = builder.scope(eventClass.context(), Scope.EVENT_CONTEXT);
                byEventClassId.put(eventClass.id(), new Shape[] {context, payload});
            }
            Builder builder = new Builder(streamDependencies, new HashSet<>());
            eventCommonContext = builder.scope(streamClass.eventContext(), Scope.STREAM_EVENT_CONTEXT);
            packetContext = builder.scope(streamClass.packetContext(), Scope.PACKET_CONTEXT);
            hasClock = mapsClock(streamClass.packetContext()) || mapsClock(streamClass.eventHeader())
                    || mapsClock(streamClass.eventContext())
                    || isInteger(streamClass.eventHeader(), "timestamp")
                    || isInteger(streamClass.packetContext(), "timestamp_begin")
                    || isInteger(streamClass.packetContext(), "timestamp_end");
        }

        private static boolean isInteger(StructType struct, String name) {
            int index = struct.indexOf(name);
            if (index < 0) {
                return false;
            }
            FieldType type = struct.fields().get(index).type();
            return type instanceof IntegerType || type instanceof EnumType;
        }

        private static boolean mapsClock(FieldType type) {
            if (type instanceof IntegerType integer) {
                return integer.mappedClock() != null;
            }
            if (type instanceof EnumType enumType) {
                return enumType.container().mappedClock() != null;
            }
            if (type instanceof StructType struct) {
                return struct.fields().stream().anyMatch(f -> mapsClock(f.type()));
            }
            if (type instanceof VariantType variant) {
                return variant.options().stream().anyMatch(f -> mapsClock(f.type()));
            }
            if (type instanceof ArrayType array) {
                return mapsClock(array.element());
            }
            return type instanceof SequenceType sequence && mapsClock(sequence.element());
        }
    }

    private static final class Builder {
        private final Set<String> streamDependencies;
        private final Set<String> eventDependencies;

        Builder(Set<String> streamDependencies, Set<String> eventDependencies) {
            this.streamDependencies = streamDependencies;
            this.eventDependencies = eventDependencies;
        }

        /** The scope's shape, or null when the scope is absent or nothing of it is shown. */
        Shape scope(StructType root, Scope scope) {
            // StructType.EMPTY stands for an absent scope; a declared empty structure is another instance.
            if (root == null || root == StructType.EMPTY) {
                return null;
            }
            Shape shape = build(root, scope, new ArrayList<>());
            return shape.shown ? shape : null;
        }

        private Shape build(FieldType type, Scope scope, List<String> path) {
            if (type instanceof IntegerType integer) {
                return new Shape(type, shownInteger(integer, scope, path), null);
            }
            if (type instanceof EnumType enumType) {
                return new Shape(type, shownInteger(enumType.container(), scope, path), null);
            }
            if (type instanceof StructType struct) {
                int count = struct.fields().size();
                Shape[] members = new Shape[count];
                boolean shown = count == 0;
                for (int i = count - 1; i >= 0; i--) {
                    path.add(struct.fields().get(i).name());
                    members[i] = build(struct.fields().get(i).type(), scope, path);
                    path.remove(path.size() - 1);
                    shown |= members[i].shown;
                }
                return new Shape(type, shown, members);
            }
            if (type instanceof VariantType variant) {
                int count = variant.options().size();
                Shape[] options = new Shape[count];
                boolean shown = false;
                for (int i = count - 1; i >= 0; i--) {
                    path.add(variant.options().get(i).name());
                    options[i] = build(variant.options().get(i).type(), scope, path);
                    path.remove(path.size() - 1);
                    shown |= options[i].shown;
                }
                if (shown) {
                    for (int i = 0; i < count; i++) {
                        options[i] = options[i].shownAnyway();
                    }
                    depend(variant.tag());
                }
                return new Shape(type, shown, options);
            }
            if (type instanceof ArrayType array) {
                Shape element = build(array.element(), scope, path);
                return new Shape(type, element.shown, new Shape[] {element});
            }
            if (type instanceof SequenceType sequence) {
                Shape element = build(sequence.element(), scope, path);
                if (element.shown) {
                    depend(sequence.length());
                }
                return new Shape(type, element.shown, new Shape[] {element});
            }
            return new Shape(type, true, null);
        }

        private boolean shownInteger(IntegerType integer, Scope scope, List<String> path) {
            boolean decodingOnly = integer.mappedClock() != null
                    || scope == Scope.PACKET_CONTEXT && path.size() == 1 && PACKET_PROPERTIES.contains(path.get(0));
            return !decodingOnly || dependencies(scope).contains(key(scope, path));
        }

        private void depend(FieldRef ref) {
            if (ref != null) {
                dependencies(ref.scope()).add(key(ref.scope(), ref.path()));
            }
        }

        private Set<String> dependencies(Scope scope) {
            return scope == Scope.EVENT_CONTEXT || scope == Scope.EVENT_PAYLOAD ? eventDependencies
                    : streamDependencies;
        }

        private static String key(Scope scope, List<String> path) {
            return scope + ":" + String.join(".", path);
        }
    }
}
