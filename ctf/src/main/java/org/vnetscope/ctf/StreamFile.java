package org.vnetscope.ctf;

import java.nio.file.Path;

/**
 * One data stream file of a trace.
 *
 * @param trace          the trace it belongs to
 * @param path           the file
 * @param streamClassId  the stream class of its packets (from its first packet), or -1 for an empty file
 * @param streamInstanceId the {@code stream_instance_id} of its packet header, or -1 when absent
 */
public record StreamFile(Trace trace, Path path, long streamClassId, long streamInstanceId) {
}
