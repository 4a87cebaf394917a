package org.vnetscope.ctf;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A field name (or a path through structures and variant options) that analyses look up on many events.
 * Create keys once, as constants; each key carries a small dense id so that an event class resolves a key to
 * its decoded slot once, and every later lookup is an array access.
 *
 * <p>A one-element key names a field of the event payload, or, when the payload has no such field, of the event
 * context, the stream event context, then the packet context (the order babeltrace2 and Trace Compass use).
 * A longer key walks into structures and variants: {@code FieldKey.of("network_header", "ipv4", "saddr")}
 * names the {@code saddr} array of the {@code ipv4} option of the {@code network_header} variant.
 */
public final class FieldKey {

    private static final Map<List<String>, FieldKey> INTERNED = new ConcurrentHashMap<>();
    private static int nextId;

    private final int id;
    private final String[] path;

    private FieldKey(int id, String[] path) {
        this.id = id;
        this.path = path;
    }

    /** The key for this path, the same instance for equal paths. */
    public static FieldKey of(String... path) {
        if (path.length == 0) {
            throw new IllegalArgumentException("a field key needs at least one name");
        }
        return INTERNED.computeIfAbsent(List.of(path), p -> create(p.toArray(String[]::new)));
    }

    private static synchronized FieldKey create(String[] path) {
        return new FieldKey(nextId++, path);
    }

    /** Dense id, from 0, unique per key in this JVM. */
    public int id() {
        return id;
    }

    /** The names along the path; the caller must not modify the array. */
    public String[] path() {
        return path;
    }

    /** How many keys exist so far: an upper bound for {@link #id()}. */
    public static synchronized int count() {
        return nextId;
    }

    @Override
    public String toString() {
        return String.join(".", Arrays.asList(path));
    }
}
