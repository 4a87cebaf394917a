package org.vnetscope.ctf.meta;

import java.util.Map;

/**
 * An event class of a stream class.
 *
 * @param logLevel   the {@code loglevel} attribute, or null
 * @param modelEmfUri the {@code model.emf.uri} attribute, or null
 * @param context    the event's own context ({@code context := struct ...}), {@link StructType#EMPTY} if none
 * @param payload    the event's fields, {@link StructType#EMPTY} if none
 * @param attributes every other attribute, as written (unquoted)
 */
public record EventClass(long id, String name, long streamClassId, Long logLevel, String modelEmfUri,
                         StructType context, StructType payload, Map<String, String> attributes) {
}
