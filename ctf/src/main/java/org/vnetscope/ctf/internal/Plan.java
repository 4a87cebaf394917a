package org.vnetscope.ctf.internal;

import org.vnetscope.ctf.Scope;

/**
 * The decoding program of one scope structure, compiled once: a flat array of operations that the
 * {@link StreamDecoder} interprets, plus the field tree it was compiled from (for lookups by name and for
 * generic materialization). Operation operands live in parallel arrays indexed by the program counter.
 */
final class Plan {
    // Numbered by how often a kernel trace runs them: C1 compiles a switch into comparisons in key order, so the
    // operations of every event (scope end, fixed run, header id and timestamp, header variant) come first.
    static final int END = 0;
    /**
     * Heads a run of fields whose offsets from the run's aligned start never vary (integers of whole bytes,
     * fixed-length arrays stepped over): one alignment and one bounds check for all of them. The member operations
     * follow it; when the run does not fit they are run one by one instead, and report the field that crosses.
     */
    static final int FIXED_RUN = 1;
    /** An integer that also updates the clock or sets the event id. */
    static final int INT_SPECIAL = 2;
    static final int VARIANT = 3;
    static final int ALIGN = 4;
    static final int I64_LE = 5;
    static final int S32_LE = 6;
    static final int U32_LE = 7;
    static final int STRING = 8;
    /** An array or sequence of fixed-size elements, stepped over arithmetically. */
    static final int ARRAY_SKIP = 9;
    static final int JUMP = 10;
    static final int U8 = 11;
    static final int U16_LE = 12;
    static final int S8 = 13;
    static final int S16_LE = 14;
    /** Any size, any bit alignment, either byte order; flags say signed / big-endian. */
    static final int INT_BITS = 15;
    static final int LOOP_START = 16;
    static final int LOOP_END = 17;
    static final int FLOAT32 = 18;
    static final int FLOAT64 = 19;
    /** A CTF 2 variable-length integer (LEB128), byte aligned; flags say signed, clock, event id. */
    static final int VARINT = 20;
    static final int U16_BE = 21;
    static final int S16_BE = 22;
    static final int U32_BE = 23;
    static final int S32_BE = 24;
    static final int I64_BE = 25;

    static final int FLAG_SIGNED = 1;
    static final int FLAG_BIG_ENDIAN = 2;
    static final int FLAG_CLOCK = 4;
    static final int FLAG_EVENT_ID = 8;

    final Scope scope;
    /** {@code scope.ordinal()}: the index of this plan's value frame in a decoder. */
    final int frame;
    final Node root;
    /** Nodes by slot. */
    final Node[] nodes;

    final int[] code;
    /** Alignment mask (alignment in bits - 1). */
    final int[] alignMask;
    /** Size in bits; the element stride for ARRAY_SKIP; the whole run for FIXED_RUN. */
    final int[] bits;
    final int[] slot;
    final int[] flags;
    /** Jump target: variant end, loop exit, loop body, jump. */
    final int[] jump;
    /** Fixed element count of arrays, or -1 when the count comes from a reference; members of a FIXED_RUN. */
    final long[] count;
    /** Element size in bits for ARRAY_SKIP; minimum element size for LOOP_START. */
    final long[] elementBits;
    /** Scope ordinal and slot of a sequence length or variant tag. */
    final int[] refScope;
    final int[] refSlot;
    final VariantTable[] variants;
    /** Bit offset of a {@link #FIXED_RUN} member from the run's aligned start. */
    final int[] runOffset;

    Plan(Scope scope, Node root, Node[] nodes, int length) {
        this.scope = scope;
        this.frame = scope.ordinal();
        this.root = root;
        this.nodes = nodes;
        code = new int[length];
        alignMask = new int[length];
        bits = new int[length];
        slot = new int[length];
        flags = new int[length];
        jump = new int[length];
        count = new long[length];
        elementBits = new long[length];
        refScope = new int[length];
        refSlot = new int[length];
        variants = new VariantTable[length];
        runOffset = new int[length];
    }

    /** Slots of the integers, floats and variant selections decoded in every event of this plan. */
    int[] scalarSlots;
    /** Fields whose full decoding {@link EventView#decodeAll()} completes: strings, stepped-over arrays, guarded scalars. */
    Node[] deferred;
    /**
     * Of each deferred field, flat for the per-event loop: how it is hashed ({@link #HASH_VALUE} ...), slot, and the
     * variant option guarding it.
     */
    int[] deferredKind;
    int[] deferredSlot;
    /** Slot of the guarding variant, or -1 when the field is always present. */
    int[] deferredGuardSlot;
    int[] deferredGuardOption;
    /** Whether the guarding variant is itself inside a variant option, so that its own guard is checked too. */
    boolean[] deferredNestedGuard;
    /**
     * Of a guarded field, the index of the first deferred field after it that lies outside its variant option: when
     * the option is not the selected one, none of the fields in between is present (a network header's variants
     * hold dozens of fields, one option of each present). Null when no option holds more than a few fields.
     */
    int[] deferredSkip;
    /** Fewest fields an option holds for {@link #deferredSkip} to be worth its jumps. */
    private static final int SKIPPED_OPTION_FIELDS = 4;

    /** A guarded scalar: its value. */
    static final int HASH_VALUE = 0;
    /** A string: its bytes. */
    static final int HASH_STRING = 1;
    /** An array of byte-aligned 8-bit integers stepped over: its bytes. */
    static final int HASH_BYTES = 2;
    /** Any other array stepped over: its elements one by one. */
    static final int HASH_ELEMENTS = 3;

    /**
     * Size in bits of a scope whose layout is fixed (one fixed run, one whole-byte integer or float, or nothing),
     * from its start aligned by {@link #fixedAlignMask}; -1 when its size depends on its content. A reader passing
     * over events it does not yield steps over such a scope without decoding it.
     */
    int fixedBits = -1;
    long fixedAlignMask;

    /** Finds whether this plan's layout is fixed; called once the operations are final. */
    void measureFixedLayout() {
        // Alignments are powers of two: aligning to one then another aligns to the larger.
        long mask = 0;
        int pc = 0;
        while (code[pc] == ALIGN) {
            mask = Math.max(mask, alignMask[pc++]);
        }
        if (code[pc] == END) {
            fixedBits = 0;
            fixedAlignMask = mask;
            return;
        }
        int next = code[pc] == FIXED_RUN ? pc + 1 + (int) count[pc] : pc + 1;
        boolean fixed = switch (code[pc]) {
            case FIXED_RUN, U8, S8, U16_LE, S16_LE, U32_LE, S32_LE, I64_LE, U16_BE, S16_BE, U32_BE, S32_BE, I64_BE,
                    FLOAT32, FLOAT64 -> next < code.length && code[next] == END;
            default -> false;
        };
        if (fixed) {
            fixedBits = bits[pc];
            fixedAlignMask = Math.max(mask, alignMask[pc]);
        }
    }

    /** Sorts the fields for {@link EventView#decodeAll()}; called once the field tree is final. */
    void indexForDecodeAll() {
        int[] scalars = new int[nodes.length];
        int scalarCount = 0;
        Node[] rest = new Node[nodes.length];
        int restCount = 0;
        for (Node node : nodes) {
            if (node.inElement) {
                continue;
            }
            boolean scalar = node.kind == Node.INT || node.kind == Node.ENUM || node.kind == Node.FLOAT
                    || node.kind == Node.VARIANT;
            if (scalar && node.guardSlot < 0) {
                scalars[scalarCount++] = node.slot;
            } else if (scalar || node.kind == Node.STRING || node.skipped) {
                rest[restCount++] = node;
            }
        }
        scalarSlots = java.util.Arrays.copyOf(scalars, scalarCount);
        deferred = java.util.Arrays.copyOf(rest, restCount);
        deferredKind = new int[deferred.length];
        deferredSlot = new int[deferred.length];
        deferredGuardSlot = new int[deferred.length];
        deferredGuardOption = new int[deferred.length];
        deferredNestedGuard = new boolean[deferred.length];
        for (int i = 0; i < deferred.length; i++) {
            Node node = deferred[i];
            deferredKind[i] = switch (node.kind) {
                case Node.STRING -> HASH_STRING;
                case Node.ARRAY, Node.SEQUENCE -> node.children[0].integer != null
                        && node.children[0].integer.sizeBits() == 8 && node.children[0].type.alignmentBits() == 8
                        ? HASH_BYTES : HASH_ELEMENTS;
                default -> HASH_VALUE;
            };
            deferredSlot[i] = node.slot;
            deferredGuardSlot[i] = node.guardSlot;
            deferredGuardOption[i] = node.guardOption;
            deferredNestedGuard[i] = node.guardSlot >= 0 && nodes[node.guardSlot].guardSlot >= 0;
        }
        int[] skip = new int[deferred.length];
        boolean worthIt = false;
        for (int i = 0; i < deferred.length; i++) {
            int after = i + 1;
            // the fields of one option are numbered one after the other
            while (after < deferred.length && deferred[i].guardSlot >= 0
                    && inOption(deferred[after], deferred[i].guardSlot, deferred[i].guardOption)) {
                after++;
            }
            skip[i] = after;
            worthIt |= after - i >= SKIPPED_OPTION_FIELDS;
        }
        deferredSkip = worthIt ? skip : null;
    }

    /** Whether a node lies in the given option of the variant at {@code variantSlot}, at any depth. */
    private boolean inOption(Node node, int variantSlot, int option) {
        for (Node at = node; at.guardSlot >= 0; at = nodes[at.guardSlot]) {
            if (at.guardSlot == variantSlot && at.guardOption == option) {
                return true;
            }
        }
        return false;
    }

    int slotCount() {
        return nodes.length;
    }

    boolean isEmpty() {
        return root.children.length == 0;
    }

    /** Top-level field by name, or null. */
    Node field(String name) {
        return root.child(name);
    }
}
