package org.vnetscope.ctf.internal;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

/**
 * Little-endian reads of a mapped window by address, for the decoder's checked hot paths. Without the JIT's second
 * compiler (the launcher runs C1 alone on traces of less than a gigabyte), a {@code MappedByteBuffer} getter is a
 * chain of calls (index check, memory scope, byte order) that C1 does not fold; {@code sun.misc.Unsafe}'s getters are
 * single loads to it. A fifth of a pass went to those chains.
 *
 * <p>Every caller has checked the read against the window's length, as the buffer would have: a read past it would
 * not throw but read what lies there. The buffer whose address is used must stay reachable for as long as the address
 * is (the {@link DecodedRecord} holding both keeps it). Where {@code sun.misc.Unsafe} cannot be had, the machine is
 * not little-endian, or the JDK would print a warning at the first such read (JDK 24 and later, JEP 498), or the
 * property {@code vnetscope.noRawMemory} is set, {@link #AVAILABLE} is false and callers read through the buffer.
 */
final class RawMemory {
    static final boolean AVAILABLE;
    /** The first JDK that warns on standard error when sun.misc.Unsafe's memory access methods are used. */
    private static final int WARNING_FROM_JDK = 24;
    private static final sun.misc.Unsafe UNSAFE;
    private static final long ADDRESS_OFFSET;

    static {
        sun.misc.Unsafe unsafe = null;
        long addressOffset = -1;
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && Runtime.version().feature() < WARNING_FROM_JDK
                && !Boolean.getBoolean("vnetscope.noRawMemory")) {
            try {
                Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                theUnsafe.setAccessible(true);
                unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
                addressOffset = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                unsafe = null;
            }
        }
        UNSAFE = unsafe;
        ADDRESS_OFFSET = addressOffset;
        AVAILABLE = unsafe != null;
    }

    private RawMemory() {
    }

    /** The address of a direct buffer's first byte, or 0 where reads go through the buffer. */
    static long address(MappedByteBuffer buffer) {
        return AVAILABLE ? UNSAFE.getLong(buffer, ADDRESS_OFFSET) : 0;
    }

    static byte getByte(long address) {
        return UNSAFE.getByte(address);
    }

    static short getShort(long address) {
        return UNSAFE.getShort(address);
    }

    static int getInt(long address) {
        return UNSAFE.getInt(address);
    }

    static long getLong(long address) {
        return UNSAFE.getLong(address);
    }
}
