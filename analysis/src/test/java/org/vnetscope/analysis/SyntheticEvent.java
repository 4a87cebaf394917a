package org.vnetscope.analysis;

import java.util.HashMap;
import java.util.Map;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.meta.EventClass;

/**
 * An event built field by field, for edge cases no real trace has (IPv6 headers: the lab ran without IPv6; bridge
 * forwarding-database sequences the lab did not record).
 */
public final class SyntheticEvent implements Event {

    private final long timestampNs;
    private final Map<FieldKey, Object> fields = new HashMap<>();

    public SyntheticEvent(long timestampNs) {
        this.timestampNs = timestampNs;
    }

    public SyntheticEvent with(FieldKey key, Object value) {
        fields.put(key, value);
        return this;
    }

    @Override
    public EventClass eventClass() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int classIndex() {
        return 0;
    }

    @Override
    public long timestampNs() {
        return timestampNs;
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
        return fields.containsKey(key);
    }

    @Override
    public long getLong(FieldKey key) {
        if (!(fields.get(key) instanceof Number number)) {
            throw new IllegalArgumentException("no integer field " + key);
        }
        return number.longValue();
    }

    /** Strings as UTF-8; arrays of 16-bit words (IPv6 addresses) most significant byte first, like the reader. */
    @Override
    public int copyBytes(FieldKey key, byte[] into) {
        Object value = fields.get(key);
        byte[] bytes;
        if (value instanceof String text) {
            bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else if (value instanceof long[] words) {
            bytes = new byte[words.length * 2];
            for (int i = 0; i < words.length; i++) {
                bytes[2 * i] = (byte) (words[i] >>> 8);
                bytes[2 * i + 1] = (byte) words[i];
            }
        } else {
            throw new IllegalArgumentException("no string or array field " + key);
        }
        System.arraycopy(bytes, 0, into, 0, Math.min(bytes.length, into.length));
        return bytes.length;
    }

    @Override
    public String getString(FieldKey key) {
        return (String) fields.get(key);
    }

    @Override
    public byte[] getBytes(FieldKey key) {
        if (!(fields.get(key) instanceof byte[] bytes)) {
            throw new IllegalArgumentException("no byte array field " + key);
        }
        return bytes.clone();
    }

    @Override
    public double getDouble(FieldKey key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String[] getEnumLabels(FieldKey key) {
        return new String[0];
    }

    @Override
    public Object[] scope(Scope scope) {
        return new Object[0];
    }

    @Override
    public long decodeAll() {
        return 0;
    }
}
