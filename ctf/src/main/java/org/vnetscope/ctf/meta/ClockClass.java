package org.vnetscope.ctf.meta;

import java.util.UUID;

/**
 * A clock declared by the metadata. A value of {@code cycles} on this clock is, in nanoseconds since the
 * Unix epoch (when {@link #absolute()} or when the offset places it there):
 * {@code offsetSeconds * 1e9 + (offsetCycles + cycles) * 1e9 / frequency}.
 */
public record ClockClass(String name, UUID uuid, String description, long frequency, long precision,
                         long offsetSeconds, long offsetCycles, boolean absolute) {
}
