package org.vnetscope.ctf.internal;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.VariantType;

/** Compiles a scope structure into a {@link Plan}. */
final class PlanCompiler {

    /** Extra operation flags ({@link Plan#FLAG_CLOCK}, {@link Plan#FLAG_EVENT_ID}) for an integer node. */
    @FunctionalInterface
    interface Roles {
        int flags(Node node);

        Roles NONE = node -> 0;
    }

    private final Path metadata;
    private final Scope scope;
    private final Plan[] earlier;
    private final Roles roles;
    private final List<Node> nodes = new ArrayList<>();

    private int length;
    private int[] code;
    private int[] alignMask;
    private int[] bits;
    private int[] slot;
    private int[] flags;
    private int[] jump;
    private long[] count;
    private long[] elementBits;
    private int[] refScope;
    private int[] refSlot;
    private VariantTable[] variants;
    private int[] runOffset;

    /**
     * The operation arrays being filled, kept per thread from one compilation to the next: a kernel trace compiles
     * thousands of plans, and the plan copies what it needs. Each entry is cleared when an operation is added.
     */
    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();
    private final Scratch scratch;

    /** Operation arrays left by a finished compilation. */
    private static final class Scratch {
        int[] code = new int[16];
        int[] alignMask = new int[16];
        int[] bits = new int[16];
        int[] slot = new int[16];
        int[] flags = new int[16];
        int[] jump = new int[16];
        long[] count = new long[16];
        long[] elementBits = new long[16];
        int[] refScope = new int[16];
        int[] refSlot = new int[16];
        VariantTable[] variants = new VariantTable[16];
        int[] runOffset = new int[16];
    }

    private PlanCompiler(Path metadata, Scope scope, Plan[] earlier, Roles roles) {
        this.metadata = metadata;
        this.scope = scope;
        this.earlier = earlier;
        this.roles = roles;
        Scratch left = SCRATCH.get();
        // Taken while compiling, so that a compilation that fails half-way leaves no arrays to another one.
        SCRATCH.remove();
        scratch = left != null ? left : new Scratch();
        code = scratch.code;
        alignMask = scratch.alignMask;
        bits = scratch.bits;
        slot = scratch.slot;
        flags = scratch.flags;
        jump = scratch.jump;
        count = scratch.count;
        elementBits = scratch.elementBits;
        refScope = scratch.refScope;
        refSlot = scratch.refSlot;
        variants = scratch.variants;
        runOffset = scratch.runOffset;
    }

    /**
     * @param earlier plans of the scopes decoded before this one, by {@link Scope#ordinal()} (null entries for
     *                absent scopes); references into them resolve there
     */
    static Plan compile(Path metadata, Scope scope, StructType root, Plan[] earlier, Roles roles) {
        if (root == StructType.EMPTY) {
            return EMPTY_PLANS[scope.ordinal()];
        }
        PlanCompiler compiler = new PlanCompiler(metadata, scope, earlier, roles);
        Plan plan = compiler.compile(root);
        compiler.leaveScratch();
        return plan;
    }

    /**
     * Plans by what they are compiled from, for the traces of one reader. A kernel trace declares the same layout
     * under many event class names (the exit of most system calls: a return value, nothing else) and the traces of
     * one host's kernel declare the same ones again: a layout is compiled once, and every event class that has it
     * decodes through the same plan, whose arrays then stay in the processor's caches. The key holds everything a
     * plan depends on: the scope, the declared structure (compared field by field: names, types, byte orders,
     * mapped clocks), the plans of the earlier scopes its references may reach (the same objects when they were
     * shared), and the roles. Errors are not kept: a layout that does not compile fails in each trace that has it.
     */
    static final class Interned {
        private final ConcurrentHashMap<Key, Plan> plans = new ConcurrentHashMap<>();

        /** Compared with {@link Layouts} rather than the records' own methods, which are slow on a cold start. */
        private static final class Key {
            private final Scope scope;
            private final StructType root;
            private final Plan[] earlier;
            private final Roles roles;
            private final int hash;

            Key(Scope scope, StructType root, Plan[] earlier, Roles roles) {
                this.scope = scope;
                this.root = root;
                this.earlier = earlier;
                this.roles = roles;
                int h = scope.ordinal() * 31 + Layouts.hash(root);
                for (Plan plan : earlier) {
                    h = h * 31 + System.identityHashCode(plan);
                }
                this.hash = h * 31 + System.identityHashCode(roles);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object other) {
                if (!(other instanceof Key key) || key.hash != hash || key.scope != scope || key.roles != roles
                        || key.earlier.length != earlier.length) {
                    return false;
                }
                // the earlier plans are the same objects when their layouts are the same: they were interned too
                for (int i = 0; i < earlier.length; i++) {
                    if (key.earlier[i] != earlier[i]) {
                        return false;
                    }
                }
                return Layouts.same(key.root, root);
            }
        }

        /** As {@link PlanCompiler#compile}, or the plan already compiled from the same. */
        Plan compile(Path metadata, Scope scope, StructType root, Plan[] earlier, Roles roles) {
            if (root == StructType.EMPTY) {
                return EMPTY_PLANS[scope.ordinal()];
            }
            Key key = new Key(scope, root, earlier.clone(), roles);
            Plan plan = plans.get(key);
            if (plan == null) {
                // Compiled outside the map's lock: two traces may both compile a layout, and both keep the first.
                plan = PlanCompiler.compile(metadata, scope, root, earlier, roles);
                Plan first = plans.putIfAbsent(key, plan);
                if (first != null) {
                    plan = first;
                }
            }
            return plan;
        }

        /** How many distinct plans were compiled (for tests). */
        int size() {
            return plans.size();
        }
    }

    /**
     * The plan of each scope left out (nearly every event class of a kernel trace has no context): the same for all,
     * as a plan is never changed once compiled.
     */
    private static final Plan[] EMPTY_PLANS = new Plan[Scope.values().length];

    static {
        for (Scope scope : Scope.values()) {
            PlanCompiler compiler = new PlanCompiler(null, scope, new Plan[0], Roles.NONE);
            EMPTY_PLANS[scope.ordinal()] = compiler.compile(StructType.EMPTY);
            compiler.leaveScratch();
        }
    }

    private Plan compile(StructType rootType) {
        Node root = build("", rootType, null, -1, -1, false);
        for (Node node : nodes) {
            if (node.integer != null && roles.flags(node) != 0) {
                for (Node up = node; up != null; up = up.parent) {
                    up.special = true;
                }
            }
        }
        for (Node node : nodes) {
            if (node.kind == Node.SEQUENCE) {
                SequenceType sequence = (SequenceType) node.type;
                node.ref = resolve(root, sequence.length(), sequence.lengthText(), node);
                if (node.ref.target().kind != Node.INT && node.ref.target().kind != Node.ENUM) {
                    throw error("sequence " + node.path() + ": length " + sequence.lengthText()
                            + " is not an integer");
                }
            } else if (node.kind == Node.VARIANT) {
                VariantType variant = (VariantType) node.type;
                node.ref = resolve(root, variant.tag(), variant.tagText(), node);
                if (variant.selectsByRange() ? node.ref.target().integer == null
                        || node.ref.target().integer.wide() : node.ref.target().kind != Node.ENUM) {
                    throw error("variant " + node.path() + ": tag " + variant.tagText() + " is not "
                            + (variant.selectsByRange() ? "an integer" : "an enumeration"));
                }
            }
        }
        emit(root);
        add(Plan.END);
        // A variant option that ends the scope stops there rather than jumping to the end (the event header).
        for (int pc = 0; pc < length; pc++) {
            if (code[pc] == Plan.JUMP && code[jump[pc]] == Plan.END) {
                code[pc] = Plan.END;
            }
        }
        foldAlignments();
        Plan plan = new Plan(scope, root, nodes.toArray(Node[]::new), length);
        System.arraycopy(code, 0, plan.code, 0, length);
        System.arraycopy(alignMask, 0, plan.alignMask, 0, length);
        System.arraycopy(bits, 0, plan.bits, 0, length);
        System.arraycopy(slot, 0, plan.slot, 0, length);
        System.arraycopy(flags, 0, plan.flags, 0, length);
        System.arraycopy(jump, 0, plan.jump, 0, length);
        System.arraycopy(count, 0, plan.count, 0, length);
        System.arraycopy(elementBits, 0, plan.elementBits, 0, length);
        System.arraycopy(refScope, 0, plan.refScope, 0, length);
        System.arraycopy(refSlot, 0, plan.refSlot, 0, length);
        System.arraycopy(variants, 0, plan.variants, 0, length);
        System.arraycopy(runOffset, 0, plan.runOffset, 0, length);
        plan.indexForDecodeAll();
        plan.measureFixedLayout();
        return plan;
    }

    private Node build(String name, FieldType type, Node parent, int guardSlot, int guardOption, boolean inElement) {
        int kind = kindOf(type);
        Node node = new Node(name, type, kind, nodes.size(), parent, guardSlot, guardOption, inElement,
                guardSlot < 0 ? null : nodes.get(guardSlot));
        nodes.add(node);
        switch (kind) {
            case Node.STRUCT -> {
                List<Field> fields = ((StructType) type).fields();
                node.children = new Node[fields.size()];
                for (int i = 0; i < fields.size(); i++) {
                    Field field = fields.get(i);
                    node.children[i] = build(field.name(), field.type(), node, guardSlot, guardOption, inElement);
                }
            }
            case Node.VARIANT -> {
                List<Field> options = ((VariantType) type).options();
                node.children = new Node[options.size()];
                for (int i = 0; i < options.size(); i++) {
                    Field option = options.get(i);
                    node.children[i] = build(option.name(), option.type(), node, node.slot, i, inElement);
                }
            }
            case Node.ARRAY -> node.children = new Node[] {
                build("", ((ArrayType) type).element(), node, guardSlot, guardOption, true)};
            case Node.SEQUENCE -> node.children = new Node[] {
                build("", ((SequenceType) type).element(), node, guardSlot, guardOption, true)};
            default -> {
            }
        }
        return node;
    }

    private static int kindOf(FieldType type) {
        if (type instanceof IntegerType) {
            return Node.INT;
        } else if (type instanceof EnumType) {
            return Node.ENUM;
        } else if (type instanceof FloatType) {
            return Node.FLOAT;
        } else if (type instanceof StringType) {
            return Node.STRING;
        } else if (type instanceof StructType) {
            return Node.STRUCT;
        } else if (type instanceof VariantType) {
            return Node.VARIANT;
        } else if (type instanceof ArrayType) {
            return Node.ARRAY;
        }
        return Node.SEQUENCE;
    }

    private Node.Ref resolve(Node currentRoot, FieldRef ref, String text, Node user) {
        Node root;
        if (ref.scope() == scope) {
            root = currentRoot;
        } else {
            Plan plan = ref.scope().ordinal() < earlier.length ? earlier[ref.scope().ordinal()] : null;
            if (plan == null || ref.scope().ordinal() > scope.ordinal()) {
                throw error(user.path() + ": reference " + text + " names a scope not decoded before it");
            }
            root = plan.root;
        }
        Node target = root;
        for (String name : ref.path()) {
            while (target != null && (target.kind == Node.ARRAY || target.kind == Node.SEQUENCE)) {
                target = target.children[0];
            }
            target = target == null || (target.kind != Node.STRUCT && target.kind != Node.VARIANT)
                    ? null : target.child(name);
            if (target == null) {
                throw error(user.path() + ": reference " + text + " names no field");
            }
        }
        if (ref.scope() == scope && target.slot >= user.slot) {
            throw error(user.path() + ": reference " + text + " names a field that is not decoded before it");
        }
        target.referenced = true;
        return new Node.Ref(ref.scope().ordinal(), target.slot, target, text);
    }

    private void emit(Node node) {
        switch (node.kind) {
            case Node.INT, Node.ENUM -> emitInteger(node);
            case Node.FLOAT -> {
                FloatType type = (FloatType) node.type;
                int size = type.sizeBits();
                if (!(size == 32 && type.mantissaDigits() == 24) && !(size == 64 && type.mantissaDigits() == 53)) {
                    throw error(node.path() + ": floating point layout " + type.exponentDigits() + "/"
                            + type.mantissaDigits() + " is not supported");
                }
                int pc = add(size == 32 ? Plan.FLOAT32 : Plan.FLOAT64);
                alignMask[pc] = type.alignmentBits() - 1;
                bits[pc] = size;
                slot[pc] = node.slot;
                flags[pc] = type.byteOrder() == ByteOrder.BIG_ENDIAN ? Plan.FLAG_BIG_ENDIAN : 0;
            }
            case Node.STRING -> {
                int pc = add(Plan.STRING);
                alignMask[pc] = 7;
                slot[pc] = node.slot;
            }
            case Node.STRUCT -> {
                int alignment = node.type.alignmentBits();
                Node[] children = node.children;
                if (alignment > 1 && !(children.length > 0 && alignsItself(children[0])
                        && children[0].type.alignmentBits() >= alignment)) {
                    int pc = add(Plan.ALIGN);
                    alignMask[pc] = alignment - 1;
                }
                int i = 0;
                while (i < children.length) {
                    int runEnd = fixedRunEnd(children, i);
                    if (runEnd - i >= 2 && emitFixedRun(children, i, runEnd)) {
                        i = runEnd;
                    } else {
                        emit(children[i++]);
                    }
                }
            }
            case Node.VARIANT -> emitVariant(node);
            default -> emitArray(node);
        }
    }

    /**
     * Removes each ALIGN directly followed by an operation that aligns itself through its alignment mask (integers,
     * floats, stepped-over arrays), giving that operation the larger of the two alignments: aligning to the
     * structure's boundary and then to the field's is aligning once to the larger (the LTTng event header, whose
     * 5-bit id starts a byte-aligned structure). Jump targets and option starts are renumbered.
     */
    private void foldAlignments() {
        boolean[] target = new boolean[length + 1];
        for (int pc = 0; pc < length; pc++) {
            if (code[pc] == Plan.VARIANT || code[pc] == Plan.JUMP || code[pc] == Plan.LOOP_START
                    || code[pc] == Plan.LOOP_END) {
                target[jump[pc]] = true;
            }
            if (code[pc] == Plan.VARIANT) {
                for (int start : variants[pc].optionStart) {
                    target[start] = true;
                }
            }
        }
        int[] moved = new int[length + 1];
        int kept = 0;
        for (int pc = 0; pc < length; pc++) {
            moved[pc] = kept;
            boolean fold = code[pc] == Plan.ALIGN && pc + 1 < length && !target[pc + 1]
                    && alignsByMask(code[pc + 1]);
            if (fold) {
                alignMask[pc + 1] = Math.max(alignMask[pc + 1], alignMask[pc]);
                continue;
            }
            copyOperation(pc, kept++);
        }
        moved[length] = kept;
        if (kept == length) {
            return;
        }
        for (int pc = 0; pc < kept; pc++) {
            if (code[pc] == Plan.VARIANT || code[pc] == Plan.JUMP || code[pc] == Plan.LOOP_START
                    || code[pc] == Plan.LOOP_END) {
                jump[pc] = moved[jump[pc]];
            }
            if (code[pc] == Plan.VARIANT) {
                int[] starts = variants[pc].optionStart;
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = moved[starts[i]];
                }
            }
        }
        Arrays.fill(variants, kept, length, null);
        length = kept;
    }

    /** Operations that align the position with their {@code alignMask} before reading. */
    private static boolean alignsByMask(int op) {
        return switch (op) {
            case Plan.U8, Plan.S8, Plan.U16_LE, Plan.S16_LE, Plan.U32_LE, Plan.S32_LE, Plan.I64_LE, Plan.U16_BE,
                    Plan.S16_BE, Plan.U32_BE, Plan.S32_BE, Plan.I64_BE, Plan.INT_BITS, Plan.INT_SPECIAL, Plan.FLOAT32,
                    Plan.FLOAT64, Plan.ARRAY_SKIP -> true;
            default -> false;
        };
    }

    private void copyOperation(int from, int to) {
        if (from == to) {
            return;
        }
        code[to] = code[from];
        alignMask[to] = alignMask[from];
        bits[to] = bits[from];
        slot[to] = slot[from];
        flags[to] = flags[from];
        jump[to] = jump[from];
        count[to] = count[from];
        elementBits[to] = elementBits[from];
        refScope[to] = refScope[from];
        refSlot[to] = refSlot[from];
        variants[to] = variants[from];
        runOffset[to] = runOffset[from];
    }

    /**
     * Whether the first operation of a field aligns to the field's alignment: then a structure starting with it
     * needs no alignment operation of its own when that alignment is at least the structure's (most payloads).
     */
    private boolean alignsItself(Node node) {
        return switch (node.kind) {
            case Node.INT, Node.ENUM, Node.FLOAT, Node.STRING -> true;
            case Node.ARRAY, Node.SEQUENCE -> skippable(node.children[0]);
            default -> false;
        };
    }

    private void emitInteger(Node node) {
        IntegerType type = node.integer;
        int size = type.sizeBits();
        if (type.wide()) {
            emitWideInteger(node);
            return;
        }
        boolean bigEndian = type.byteOrder() == ByteOrder.BIG_ENDIAN;
        int extra = roles.flags(node);
        int op;
        if (type.variableLength()) {
            op = Plan.VARINT;
            bigEndian = false;
        } else if (extra != 0) {
            op = Plan.INT_SPECIAL;
        } else if (type.alignmentBits() % 8 != 0 || size % 8 != 0 || size == 24 || size == 40 || size == 48
                || size == 56) {
            op = Plan.INT_BITS;
        } else if (size == 8) {
            op = type.signed() ? Plan.S8 : Plan.U8;
        } else if (size == 16) {
            op = bigEndian ? (type.signed() ? Plan.S16_BE : Plan.U16_BE) : (type.signed() ? Plan.S16_LE : Plan.U16_LE);
        } else if (size == 32) {
            op = bigEndian ? (type.signed() ? Plan.S32_BE : Plan.U32_BE) : (type.signed() ? Plan.S32_LE : Plan.U32_LE);
        } else {
            op = bigEndian ? Plan.I64_BE : Plan.I64_LE;
        }
        int pc = add(op);
        alignMask[pc] = type.alignmentBits() - 1;
        bits[pc] = size;
        slot[pc] = node.slot;
        flags[pc] = (type.signed() ? Plan.FLAG_SIGNED : 0) | (bigEndian ? Plan.FLAG_BIG_ENDIAN : 0) | extra;
    }

    /**
     * An integer wider than 64 bits is data no analysis computes with: the plan checks its bounds and records
     * its position (as a one-element skipped array), and {@link Event#scope} reads it as a BigInteger.
     */
    private void emitWideInteger(Node node) {
        if (roles.flags(node) != 0) {
            throw error(node.path() + ": a " + node.integer.sizeBits() + "-bit integer cannot be a length, a tag, "
                    + "an id or a timestamp");
        }
        int pc = add(Plan.ARRAY_SKIP);
        slot[pc] = node.slot;
        count[pc] = 1;
        alignMask[pc] = node.integer.alignmentBits() - 1;
        bits[pc] = node.integer.sizeBits();
        elementBits[pc] = node.integer.sizeBits();
    }

    /**
     * End (exclusive) of the run of fixed-layout fields starting at {@code first}: each one operation at a fixed
     * offset from the first field's aligned position, which holds while no later field asks for a larger alignment.
     */
    private int fixedRunEnd(Node[] children, int first) {
        long runAlignment = fixedLayoutAlignment(children[first]);
        int end = first;
        while (end < children.length) {
            long alignment = fixedLayoutAlignment(children[end]);
            if (alignment < 0 || alignment > runAlignment) {
                break;
            }
            end++;
        }
        return end;
    }

    /** Alignment in bits of a field that compiles to one fixed-size operation with no side effect, else -1. */
    private long fixedLayoutAlignment(Node node) {
        if (node.kind == Node.INT || node.kind == Node.ENUM) {
            IntegerType type = node.integer;
            int size = type.sizeBits();
            boolean plain = type.alignmentBits() % 8 == 0 && (size == 8 || size == 16 || size == 32 || size == 64)
                    && !type.variableLength() && roles.flags(node) == 0;
            return plain ? type.alignmentBits() : -1;
        }
        if (node.kind == Node.ARRAY && skippable(node.children[0])) {
            return node.children[0].type.alignmentBits();
        }
        return -1;
    }

    private boolean skippable(Node element) {
        return fixedSize(element) >= 0 && !element.special && !anyReferenced(element);
    }

    /** Emits a {@link Plan#FIXED_RUN} head and its members; false (nothing emitted) when the run is too long. */
    private boolean emitFixedRun(Node[] children, int first, int end) {
        long[] offsets = new long[end - first];
        long at = 0;
        for (int i = first; i < end; i++) {
            Node child = children[i];
            at = roundUp(at, child.type.alignmentBits());
            offsets[i - first] = at;
            at += fixedSize(child);
            if (at > Integer.MAX_VALUE) {
                return false;
            }
        }
        int head = add(Plan.FIXED_RUN);
        alignMask[head] = children[first].type.alignmentBits() - 1;
        bits[head] = (int) at;
        count[head] = end - first;
        for (int i = first; i < end; i++) {
            int member = length;
            emit(children[i]);
            if (length != member + 1) {
                throw new IllegalStateException("a fixed run member compiled to " + (length - member) + " operations");
            }
            runOffset[member] = (int) offsets[i - first];
        }
        return true;
    }

    private void emitVariant(Node node) {
        VariantType variant = (VariantType) node.type;
        VariantTable table = variant.selectsByRange() ? new VariantTable(variant, node.ref.target().integer)
                : new VariantTable(variant, (EnumType) node.ref.target().type);
        node.table = table;
        int pc = add(Plan.VARIANT);
        slot[pc] = node.slot;
        refScope[pc] = node.ref.scope();
        refSlot[pc] = node.ref.slot();
        variants[pc] = table;
        int[] exits = new int[node.children.length];
        for (int i = 0; i < node.children.length; i++) {
            table.optionStart[i] = length;
            emit(node.children[i]);
            exits[i] = add(Plan.JUMP);
        }
        for (int exit : exits) {
            jump[exit] = length;
        }
        jump[pc] = length;
    }

    private void emitArray(Node node) {
        Node element = node.children[0];
        long fixedCount = node.kind == Node.ARRAY ? ((ArrayType) node.type).length() : -1;
        long elementSize = fixedSize(element);
        boolean skippable = skippable(element);
        int pc = add(skippable ? Plan.ARRAY_SKIP : Plan.LOOP_START);
        slot[pc] = node.slot;
        count[pc] = fixedCount;
        if (node.kind == Node.SEQUENCE) {
            refScope[pc] = node.ref.scope();
            refSlot[pc] = node.ref.slot();
        }
        int alignment = element.type.alignmentBits();
        alignMask[pc] = alignment - 1;
        if (skippable) {
            node.skipped = true;
            long stride = roundUp(elementSize, alignment);
            if (stride > Integer.MAX_VALUE) {
                throw error(node.path() + ": element too large");
            }
            bits[pc] = (int) stride;
            elementBits[pc] = elementSize;
            return;
        }
        elementBits[pc] = minimumSize(element);
        int body = length;
        emit(element);
        int end = add(Plan.LOOP_END);
        jump[end] = body;
        jump[pc] = length;
    }

    /** Size in bits of a type whose layout never varies, or -1. */
    static long fixedSize(Node node) {
        switch (node.kind) {
            case Node.INT, Node.ENUM:
                return node.integer.variableLength() ? -1 : node.integer.sizeBits();
            case Node.FLOAT:
                return ((FloatType) node.type).sizeBits();
            case Node.STRUCT: {
                long offset = 0;
                for (Node child : node.children) {
                    long size = fixedSize(child);
                    if (size < 0) {
                        return -1;
                    }
                    offset = roundUp(offset, child.type.alignmentBits()) + size;
                }
                return offset;
            }
            case Node.ARRAY: {
                long n = ((ArrayType) node.type).length();
                long size = fixedSize(node.children[0]);
                if (size < 0) {
                    return -1;
                }
                return n == 0 ? 0 : (n - 1) * roundUp(size, node.children[0].type.alignmentBits()) + size;
            }
            default:
                return -1;
        }
    }

    /** A lower bound of a type's size in bits, to bound element counts before looping. */
    static long minimumSize(Node node) {
        switch (node.kind) {
            case Node.STRING:
                return 8;
            case Node.SEQUENCE:
                return 0;
            case Node.VARIANT: {
                long min = Long.MAX_VALUE;
                for (Node option : node.children) {
                    min = Math.min(min, minimumSize(option));
                }
                return min == Long.MAX_VALUE ? 0 : min;
            }
            case Node.STRUCT: {
                long sum = 0;
                for (Node child : node.children) {
                    sum += minimumSize(child);
                }
                return sum;
            }
            case Node.ARRAY:
                return ((ArrayType) node.type).length() * minimumSize(node.children[0]);
            case Node.INT, Node.ENUM:
                return node.integer.variableLength() ? 8 : node.integer.sizeBits();
            default:
                return fixedSize(node);
        }
    }

    private static boolean anyReferenced(Node node) {
        if (node.referenced) {
            return true;
        }
        for (Node child : node.children) {
            if (anyReferenced(child)) {
                return true;
            }
        }
        return false;
    }

    static long roundUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** Hands this compilation's arrays (grown, perhaps) to the next one on this thread. */
    private void leaveScratch() {
        Arrays.fill(variants, 0, length, null);
        scratch.code = code;
        scratch.alignMask = alignMask;
        scratch.bits = bits;
        scratch.slot = slot;
        scratch.flags = flags;
        scratch.jump = jump;
        scratch.count = count;
        scratch.elementBits = elementBits;
        scratch.refScope = refScope;
        scratch.refSlot = refSlot;
        scratch.variants = variants;
        scratch.runOffset = runOffset;
        SCRATCH.set(scratch);
    }

    private int add(int op) {
        if (length == code.length) {
            int size = length * 2;
            code = Arrays.copyOf(code, size);
            alignMask = Arrays.copyOf(alignMask, size);
            bits = Arrays.copyOf(bits, size);
            slot = Arrays.copyOf(slot, size);
            flags = Arrays.copyOf(flags, size);
            jump = Arrays.copyOf(jump, size);
            count = Arrays.copyOf(count, size);
            elementBits = Arrays.copyOf(elementBits, size);
            refScope = Arrays.copyOf(refScope, size);
            refSlot = Arrays.copyOf(refSlot, size);
            variants = Arrays.copyOf(variants, size);
            runOffset = Arrays.copyOf(runOffset, size);
        }
        code[length] = op;
        alignMask[length] = 0;
        bits[length] = 0;
        slot[length] = 0;
        flags[length] = 0;
        jump[length] = 0;
        count[length] = 0;
        elementBits[length] = 0;
        refScope[length] = 0;
        refSlot[length] = 0;
        variants[length] = null;
        runOffset[length] = 0;
        return length++;
    }

    private CtfException error(String problem) {
        return new CtfException(metadata, -1, scope.name().toLowerCase() + " " + problem);
    }
}
