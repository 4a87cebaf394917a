package org.vnetscope.ctf.internal;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.Scope;

/**
 * Receives the values of one scope of the current event where the decoder left them, in declaration order,
 * without materializing them (see {@link Event#scope} for the allocating form). For the text printer: not a
 * public API. Every node of the scope's field tree is named by its slot, its rank in a pre-order walk of the
 * scope's structure (the structure itself is 0; a structure's fields, a variant's options and an array's
 * element follow their parent in order), so that a consumer can index its own per-field tables by slot.
 */
public interface ValueVisitor {

    /**
     * Walks one scope of an event the reader produced, calling the visitor for each field of the scope that is
     * present (the selected option of a variant, every element of an array).
     *
     * @return false, having called nothing, when the event does not come from a reader of this package
     */
    static boolean walk(Event event, Scope scope, ValueVisitor visitor) {
        if (!(event instanceof EventView view)) {
            return false;
        }
        view.walk(scope, visitor);
        return true;
    }

    /** An integer or enumeration of 64 bits or less: signed ones sign-extended, unsigned ones as their bits. */
    void integer(int slot, long value);

    void wideInteger(int slot, BigInteger value);

    void floating(int slot, double value);

    /** A string's bytes (UTF-8, no terminating NUL) at a byte index of the buffer. */
    void string(int slot, ByteBuffer buffer, int start, int length);

    void beginStruct(int slot);

    void endStruct(int slot);

    void beginVariant(int slot, int option);

    void endVariant(int slot);

    /**
     * Starts an array or sequence of {@code length} elements.
     *
     * @return true when the visitor takes elements that are byte-aligned 8-bit integers as one {@link #bytes}
     *         call instead of one {@link #integer} call each
     */
    boolean beginArray(int slot, long length);

    /** Announces element {@code index} of the array at {@code slot}, before the element's own calls. */
    void element(int slot, long index);

    /** The whole content of an array of byte-aligned 8-bit integers, when {@link #beginArray} asked for it. */
    void bytes(int slot, ByteBuffer buffer, int start, int length);

    void endArray(int slot);
}
