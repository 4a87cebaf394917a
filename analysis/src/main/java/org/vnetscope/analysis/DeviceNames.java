package org.vnetscope.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.TraceReader;

/**
 * Recognizes the few device names of a trace from their bytes: every net event names its device, and a host has a
 * handful of them. The bytes are copied into a scratch buffer ({@link Event#copyBytes}), hashed, and looked up in a
 * small open-addressing table of the names seen so far; only a new name builds its {@link String} and its peerless
 * {@link InterfaceId}, the same instances ever after.
 */
final class DeviceNames {

    /** IFNAMSIZ is 16; a longer field is not a device name but is still read whole. */
    static final int MAX_NAME = 64;

    private final InterfaceIdentities identities;
    private final byte[] scratch = new byte[MAX_NAME];
    private byte[][] keys = new byte[64][];
    private InterfaceId[] ids = new InterfaceId[64];
    private int size;

    /** The reader of the stream read, whose reading thread may have numbered the names ({@link PreparedEvents}). */
    private TraceReader reader;
    private PreparedEvents numbering;
    /** The device of each name the reading thread numbered, once asked for. */
    private InterfaceId[] byNumber = new InterfaceId[0];

    DeviceNames(InterfaceIdentities identities) {
        this.identities = identities;
    }

    /** Prepares to take the names the stream's reading thread numbered, if it numbers them. */
    void readFrom(EventStream stream) {
        reader = stream.reader();
        numberedBy(reader.preparation() instanceof PreparedEvents events ? events : null);
    }

    /** Takes the names that thread numbers (null: none). */
    void numberedBy(PreparedEvents preparedEvents) {
        numbering = preparedEvents;
    }

    /** The peerless id of the device this event names; its {@link InterfaceId#name()} is the canonical name. */
    InterfaceId read(Event event, FieldKey key) {
        return read(event, key, numbering != null ? (PreparedEvents.Slot) reader.prepared() : null);
    }

    /** As {@link #read(Event, FieldKey)}, with what the reading thread prepared for the event (null: nothing). */
    InterfaceId read(Event event, FieldKey key, PreparedEvents.Slot prepared) {
        if (prepared != null && key == NetFields.NAME && prepared.deviceName != PreparedEvents.NO_NAME) {
            return byNumber(prepared.deviceName);
        }
        int length = nameBytes(event, key, scratch);
        if (length > MAX_NAME) {
            return lookup(event.getString(key).getBytes(StandardCharsets.UTF_8));
        }
        int mask = keys.length - 1;
        for (int slot = hash(scratch, length) & mask; ; slot = (slot + 1) & mask) {
            byte[] known = keys[slot];
            if (known == null) {
                return add(slot, Arrays.copyOf(scratch, length));
            }
            if (sameName(known, length)) {
                return ids[slot];
            }
        }
    }

    /**
     * Copies the device name an event's field holds into {@code into} (of {@link #MAX_NAME} bytes), without the NULs
     * that pad a char array; returns its length, or more than {@link #MAX_NAME} when it did not fit (then nothing
     * useful was copied).
     */
    static int nameBytes(Event event, FieldKey key, byte[] into) {
        int length = event.copyBytes(key, into);
        if (length > MAX_NAME) {
            return length;
        }
        while (length > 0 && into[length - 1] == 0) {
            length--;
        }
        return length;
    }

    /** The device of a name the reading thread numbered: the same instance as reading the name here gives. */
    private InterfaceId byNumber(int number) {
        if (number >= byNumber.length) {
            byNumber = Arrays.copyOf(byNumber, Math.max(number + 1, 2 * byNumber.length));
        }
        InterfaceId id = byNumber[number];
        if (id == null) {
            id = lookup(numbering.name(number));
            byNumber[number] = id;
        }
        return id;
    }

    private boolean sameName(byte[] known, int length) {
        return same(known, scratch, length);
    }

    /** Compares in place: names are a few bytes, and the launcher's C1 compiler calls Arrays.equals through
     *  several range checks and a mismatch search that cost more than the loop. */
    static boolean same(byte[] known, byte[] bytes, int length) {
        if (known.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (known[i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private InterfaceId lookup(byte[] name) {
        int mask = keys.length - 1;
        for (int slot = hash(name, name.length) & mask; ; slot = (slot + 1) & mask) {
            if (keys[slot] == null) {
                return add(slot, name);
            }
            if (Arrays.equals(keys[slot], name)) {
                return ids[slot];
            }
        }
    }

    private InterfaceId add(int slot, byte[] name) {
        InterfaceId id = identities.id(new String(name, StandardCharsets.UTF_8), null);
        keys[slot] = name;
        ids[slot] = id;
        if (++size * 2 > keys.length) {
            grow();
        }
        return id;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        InterfaceId[] oldIds = ids;
        keys = new byte[oldKeys.length * 2][];
        ids = new InterfaceId[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = hash(oldKeys[i], oldKeys[i].length) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                ids[slot] = oldIds[i];
            }
        }
    }

    static int hash(byte[] bytes, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }
}
