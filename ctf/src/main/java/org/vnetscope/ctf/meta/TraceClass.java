package org.vnetscope.ctf.meta;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything a trace's metadata declares.
 *
 * @param uuid         the trace UUID, or null
 * @param byteOrder    the trace's native byte order
 * @param packetHeader {@link StructType#EMPTY} when absent
 * @param env          the env block: values are {@link Long} or {@link String}, in declaration order
 * @param clocks       clocks by name, in declaration order
 * @param streams      stream classes by id, in declaration order (a metadata with no stream block and no
 *                     stream_id has one stream class of id 0)
 * @param callsites    the callsite blocks, in declaration order
 */
public record TraceClass(int major, int minor, UUID uuid, ByteOrder byteOrder, StructType packetHeader,
                         Map<String, Object> env, Map<String, ClockClass> clocks,
                         Map<Long, StreamClass> streams, List<Callsite> callsites) {

    public TraceClass {
        callsites = List.copyOf(callsites);
    }

    /** A trace class without callsites. */
    public TraceClass(int major, int minor, UUID uuid, ByteOrder byteOrder, StructType packetHeader,
                      Map<String, Object> env, Map<String, ClockClass> clocks, Map<Long, StreamClass> streams) {
        this(major, minor, uuid, byteOrder, packetHeader, env, clocks, streams, List.of());
    }
}
