package org.vnetscope.ctf.internal;

import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.IntegerType;

/**
 * One field of a compiled scope: its type, its slot in the scope's value frame, and where it sits in the tree.
 * Types are records that may be shared by several fields (typealiases), so the tree is built per field and
 * never keyed by type.
 */
final class Node {
    static final int INT = 0;
    static final int ENUM = 1;
    static final int FLOAT = 2;
    static final int STRING = 3;
    static final int STRUCT = 4;
    static final int VARIANT = 5;
    static final int ARRAY = 6;
    static final int SEQUENCE = 7;

    private static final Node[] NO_CHILDREN = new Node[0];
    private static final int[] NO_GUARDS = new int[0];

    final String name;
    final FieldType type;
    final int kind;
    final int slot;
    final Node parent;
    /** Slot of the nearest enclosing variant and the option this node lies in, or -1. */
    final int guardSlot;
    final int guardOption;
    /**
     * The guards from this node's out to the scope: pairs of a variant's slot and the option this node lies in,
     * empty outside variants. A field read checks them in a flat loop rather than walking the enclosing nodes.
     */
    final int[] guards;
    /** True when the node lies inside an array or sequence element: its slot holds the last element's value. */
    final boolean inElement;
    Node[] children = NO_CHILDREN;
    /** Sequence length or variant tag, resolved once the whole trace's scopes are known. */
    Ref ref;
    /** Set when a variant tag or a sequence length reads this node. */
    boolean referenced;
    /** Set when the node or a descendant updates a clock or carries a decoding role. */
    boolean special;
    /** Integer layout of INT and ENUM nodes (the container for an enum), else null. */
    final IntegerType integer;
    /** Set on arrays and sequences that the plan steps over without decoding their elements. */
    boolean skipped;
    /** Option selection of VARIANT nodes. */
    VariantTable table;
    /** Labels by value, filled lazily for ENUM nodes. */
    EnumLabels labels;

    /** @param variant the node at {@code guardSlot} (the enclosing variant), or null outside variants */
    Node(String name, FieldType type, int kind, int slot, Node parent, int guardSlot, int guardOption,
         boolean inElement, Node variant) {
        this.name = name;
        this.type = type;
        this.kind = kind;
        this.slot = slot;
        this.parent = parent;
        this.guardSlot = guardSlot;
        this.guardOption = guardOption;
        if (variant == null) {
            guards = NO_GUARDS;
        } else {
            guards = new int[2 + variant.guards.length];
            guards[0] = guardSlot;
            guards[1] = guardOption;
            System.arraycopy(variant.guards, 0, guards, 2, variant.guards.length);
        }
        this.inElement = inElement;
        this.integer = type instanceof IntegerType i ? i : type instanceof EnumType e ? e.container() : null;
        if (type instanceof EnumType e) {
            labels = new EnumLabels(e);
        }
    }

    Node child(String childName) {
        for (Node child : children) {
            if (child.name.equals(childName)) {
                return child;
            }
        }
        return null;
    }

    /** The dotted path from the scope root, for messages. */
    String path() {
        if (parent == null) {
            return "";
        }
        String up = parent.path();
        return up.isEmpty() ? name : up + "." + name;
    }

    /** A resolved reference to an earlier field: the scope frame and slot holding its value. */
    record Ref(int scope, int slot, Node target, String text) {
    }
}
