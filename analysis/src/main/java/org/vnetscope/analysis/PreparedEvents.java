package org.vnetscope.analysis;

import java.util.Arrays;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;

/**
 * What a reading thread works out for the analyses on each packet event (see {@link TraceReader#readingAhead(
 * TraceReader.Preparation)}), for the events of {@link PacketHeader#EVENT_NAMES}: the network header, read into a
 * header of the event's own that {@link PacketHeader#copyRead} takes over, and which of the names seen so far the
 * event's device is, which {@link DeviceNames} turns into its device. Both depend on the event alone (the names by
 * their bytes, numbered here in the order this thread met them), so they are what the analyses' thread would work
 * out; and both are lookups over bytes that cost the analyses' thread a fifth of its pass when it did them itself.
 */
final class PreparedEvents implements TraceReader.Preparation<PreparedEvents.Slot> {

    /** No name: the event has none, a longer one than a device name, or the table is full. */
    static final int NO_NAME = -1;
    /**
     * Names numbered at most: a host's devices are a handful to some thousands; the table never grows, so that the
     * analyses' thread reads the names it was given without a lock (what it reads was written before the batch
     * holding the event was handed over).
     */
    private static final int CAPACITY = 1 << 14;

    /** What was worked out for one event. */
    static final class Slot {
        final PacketHeader header = new PacketHeader();
        /** The number of the event's device name ({@link #name}), or {@link #NO_NAME}. */
        int deviceName = NO_NAME;
    }

    /** By event class index: whether it is one of {@link PacketHeader#EVENT_NAMES}; 0 not known yet, 1 yes, 2 no. */
    private byte[] carries = new byte[64];

    private final byte[][] names = new byte[CAPACITY][];
    private int count;
    /** Open addressing over the names' numbers plus one (0 free), twice as many places as names. */
    private final int[] places = new int[2 * CAPACITY];
    private final byte[] scratch = new byte[DeviceNames.MAX_NAME];

    @Override
    public Slot newSlot() {
        return new Slot();
    }

    @Override
    public void prepare(Event event, Slot slot) {
        int index = event.classIndex();
        if (index >= carries.length) {
            carries = Arrays.copyOf(carries, Math.max(index + 1, 2 * carries.length));
        }
        if (carries[index] == 0) {
            carries[index] = (byte) (PacketHeader.EVENT_NAMES.contains(event.name()) ? 1 : 2);
        }
        if (carries[index] == 1) {
            slot.header.read(event);
            slot.deviceName = event.has(NetFields.NAME) ? number(event) : NO_NAME;
        } else {
            slot.deviceName = NO_NAME;
        }
    }

    /** The name given that number, as its bytes (trailing NULs removed); read-only. */
    byte[] name(int number) {
        return names[number];
    }

    private int number(Event event) {
        int length = DeviceNames.nameBytes(event, NetFields.NAME, scratch);
        if (length > DeviceNames.MAX_NAME) {
            return NO_NAME;
        }
        int mask = places.length - 1;
        for (int place = DeviceNames.hash(scratch, length) & mask; ; place = (place + 1) & mask) {
            int known = places[place] - 1;
            if (known < 0) {
                if (count == CAPACITY) {
                    return NO_NAME;
                }
                names[count] = Arrays.copyOf(scratch, length);
                places[place] = count + 1;
                return count++;
            }
            if (DeviceNames.same(names[known], scratch, length)) {
                return known;
            }
        }
    }
}
