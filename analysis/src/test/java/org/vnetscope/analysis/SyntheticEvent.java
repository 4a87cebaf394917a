package org.vnetscope.analysis;

import java.util.HashMap;
import java.util.Map;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.meta.EventClass;

/** An event built field by field, for edge cases no real trace has (IPv6 headers: the lab ran without IPv6). */
final class SyntheticEvent implements Event {

    private final long timestampNs;
    private final Map<FieldKey, Object> fields = new HashMap<>();

    SyntheticEvent(long timestampNs) {
        this.timestampNs = timestampNs;
    }

    SyntheticEvent with(FieldKey key, Object value) {
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

    @Override
    public long getElement(FieldKey key, int index) {
        if (!(fields.get(key) instanceof long[] words)) {
            throw new IllegalArgumentException("no array field " + key);
        }
        return words[index];
    }

    @Override
    public String getString(FieldKey key) {
        return (String) fields.get(key);
    }

    @Override
    public byte[] getBytes(FieldKey key) {
        throw new UnsupportedOperationException();
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
