package org.vnetscope.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;

/**
 * Recognizes the few device names of a trace from their bytes: one canonical {@link String} per name and its
 * peerless {@link InterfaceId}, found without allocating or building a string per event. Device names are at most
 * 15 bytes (IFNAMSIZ); longer text goes the slow way.
 */
final class DeviceNames {

    private static final int MAX_NAME = 64;

    private final InterfaceIdentities identities;
    private final byte[] scratch = new byte[MAX_NAME];
    private byte[][] keys = new byte[64][];
    private InterfaceId[] ids = new InterfaceId[64];
    private int size;

    DeviceNames(InterfaceIdentities identities) {
        this.identities = identities;
    }

    /** The peerless id of the device this event names; its {@link InterfaceId#name()} is the canonical name. */
    InterfaceId read(Event event, FieldKey key) {
        int length = event.getStringBytes(key, scratch);
        if (length > MAX_NAME) {
            return identities.id(event.getString(key), null);
        }
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + scratch[i];
        }
        int mask = keys.length - 1;
        for (int slot = (hash ^ hash >>> 16) & mask; ; slot = (slot + 1) & mask) {
            byte[] known = keys[slot];
            if (known == null) {
                InterfaceId id = identities.id(new String(scratch, 0, length, StandardCharsets.UTF_8), null);
                keys[slot] = Arrays.copyOf(scratch, length);
                ids[slot] = id;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return id;
            }
            if (known.length == length && Arrays.equals(known, 0, length, scratch, 0, length)) {
                return ids[slot];
            }
        }
    }

    private void grow() {
        byte[][] oldKeys = keys;
        InterfaceId[] oldIds = ids;
        keys = new byte[oldKeys.length * 2][];
        ids = new InterfaceId[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int hash = 1;
                for (byte b : oldKeys[i]) {
                    hash = 31 * hash + b;
                }
                int slot = (hash ^ hash >>> 16) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                ids[slot] = oldIds[i];
            }
        }
    }
}
