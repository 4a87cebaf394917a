package org.vnetscope.ctf.meta;

import java.util.Map;

/**
 * A stream class and its event classes.
 *
 * @param packetContext {@link StructType#EMPTY} when absent
 * @param eventHeader   {@link StructType#EMPTY} when absent
 * @param eventContext  the stream event context, {@link StructType#EMPTY} when absent
 * @param events        event classes by id, in declaration order
 */
public record StreamClass(long id, StructType packetContext, StructType eventHeader, StructType eventContext,
                          Map<Long, EventClass> events) {
}
