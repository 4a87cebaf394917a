package org.vnetscope.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;

/**
 * Device names of events, read without allocating: every net event names its device, and a host has a handful
 * of them. The bytes are copied into a scratch buffer, hashed, and looked up in a small open-addressing table
 * of the names seen so far; only a new name allocates its {@link String}, the same instance ever after (so
 * callers may compare names by identity).
 */
final class DeviceNames {

    /** IFNAMSIZ is 16; a longer field is not a device name but is still read whole. */
    private static final int MAX_NAME = 64;

    private final byte[] scratch = new byte[MAX_NAME];
    private byte[][] keys = new byte[64][];
    private String[] names = new String[64];
    private int size;

    /** The device name in this field of the event, interned. */
    String of(Event event, FieldKey key) {
        int length = event.copyBytes(key, scratch);
        if (length > MAX_NAME) {
            return intern(event.getString(key));
        }
        while (length > 0 && scratch[length - 1] == 0) {
            length--; // a char array field is padded with NULs
        }
        int mask = keys.length - 1;
        for (int slot = hash(scratch, length) & mask; ; slot = (slot + 1) & mask) {
            byte[] known = keys[slot];
            if (known == null) {
                return add(slot, Arrays.copyOf(scratch, length));
            }
            if (Arrays.equals(known, 0, known.length, scratch, 0, length)) {
                return names[slot];
            }
        }
    }

    private String intern(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int mask = keys.length - 1;
        for (int slot = hash(bytes, bytes.length) & mask; ; slot = (slot + 1) & mask) {
            if (keys[slot] == null) {
                return add(slot, bytes);
            }
            if (Arrays.equals(keys[slot], bytes)) {
                return names[slot];
            }
        }
    }

    private String add(int slot, byte[] bytes) {
        String name = new String(bytes, StandardCharsets.UTF_8);
        keys[slot] = bytes;
        names[slot] = name;
        if (++size * 2 > keys.length) {
            grow();
        }
        return name;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldNames = names;
        keys = new byte[oldKeys.length * 2][];
        names = new String[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = hash(oldKeys[i], oldKeys[i].length) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                names[slot] = oldNames[i];
            }
        }
    }

    private static int hash(byte[] bytes, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 16);
    }
}
