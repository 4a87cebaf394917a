package org.vnetscope.ctf;

import org.vnetscope.ctf.meta.EventClass;

/**
 * The event a {@link TraceReader} is positioned on. The same instance is reused for the next event: values read
 * from it are valid until the reader moves on, and an analysis that keeps data copies what it keeps.
 *
 * <p>Fields are decoded lazily where that is cheaper; reading a field never changes the position.
 */
public interface Event {

    /** The event's class, as declared in the metadata. */
    EventClass eventClass();

    /** The event class name, e.g. {@code net_dev_queue}. */
    default String name() {
        return eventClass().name();
    }

    /**
     * A small dense number identifying {@link #eventClass()} among all event classes of the reader (0, 1, 2, ...),
     * so that consumers can index arrays by event class instead of hashing it.
     */
    int classIndex();

    /** Timestamp in ns since the Unix epoch (clock offset applied), or {@link Long#MIN_VALUE} if the stream has no clock. */
    long timestampNs();

    /** Timestamp in cycles of the stream's clock, extended past header wrap-arounds. */
    long cycles();

    /** The stream file this event comes from. */
    StreamFile stream();

    /** True when the key names a field this event has (a variant option that is selected, for paths). */
    boolean has(FieldKey key);

    /**
     * An integer or enumeration field's value; unsigned 64-bit values come back as their two's complement bits.
     *
     * @throws IllegalArgumentException when the event has no such integer field
     */
    long getLong(FieldKey key);

    /** A string field, or an array/sequence of character-encoded integers, as text. */
    String getString(FieldKey key);

    /** An array or sequence of 8-bit integers (an address, a MAC) as bytes; a new array each call. */
    byte[] getBytes(FieldKey key);

    /**
     * Copies a field's bytes into {@code into} without allocating, for the fields a hot path reads on every event
     * (a device name, an address): a string's bytes (UTF-8, without the terminating NUL), or an array/sequence of
     * integers whose size is a whole number of bytes, each element most significant byte first (so the eight
     * 16-bit words of an IPv6 address give its 16 bytes in network order). Copies at most {@code into.length}
     * bytes and returns the field's full length in bytes: a larger result tells the caller its buffer was short.
     *
     * @throws IllegalArgumentException when the event has no such string or integer array field
     */
    int copyBytes(FieldKey key, byte[] into);

    /** What {@link #readLongs} returns when the caller is to read the group's fields one by one instead. */
    long READ_ONE_BY_ONE = Long.MIN_VALUE;

    /**
     * Reads the members of a group at once: bit {@code i} of the result is set when the event has member {@code i}
     * ({@link #has}), and {@code into[i]} then holds its value, as {@link #getLong} reads an integer member and as
     * {@link FieldGroup.Builder#bytes} says for a byte array; the other elements of {@code into} are left as they
     * were. Returns {@link #READ_ONE_BY_ONE} instead, having read nothing meaningful, when the event has a member
     * of another kind (a byte array of another length, say) or cannot read groups: the caller then reads the
     * fields one by one, and gets whatever answer or error each read gives.
     */
    default long readLongs(FieldGroup group, long[] into) {
        return READ_ONE_BY_ONE;
    }

    /** A floating-point field. */
    double getDouble(FieldKey key);

    /**
     * The labels of an enumeration field's current value (several for overlapping ranges, none when unmapped).
     * The returned array is shared: do not modify it.
     */
    String[] getEnumLabels(FieldKey key);

    /**
     * Every field of a scope, materialized for generic consumers (printers, tests), in the order of the
     * scope's {@link org.vnetscope.ctf.meta.StructType}. Values are: {@link Long} for integers and
     * enumerations (raw bits; signedness is in the type), {@link java.math.BigInteger} for integers wider than
     * 64 bits, {@link Double} for floats, {@link String} for
     * strings, {@code Object[]} for arrays, sequences and structures (elements or fields in order), and
     * {@link VariantValue} for variants. Returns an empty array for an absent scope. Allocates: not for hot
     * paths.
     */
    Object[] scope(Scope scope);

    /**
     * Decodes every field of this event, including each element of arrays and sequences and each byte of
     * strings, and returns a hash of all the values. Field access is lazy where that is cheaper (strings and
     * arrays are located, not copied); benchmarks and validation call this to force the complete decoding work.
     */
    long decodeAll();

    /** A decoded variant: the index of the selected option in its {@link org.vnetscope.ctf.meta.VariantType}, and its value. */
    record VariantValue(int option, Object value) {
    }
}
