package org.vnetscope.ctf;

import java.nio.file.Path;

/**
 * One data stream of a trace: a file, or several when LTTng rotated the stream over files of a bounded size
 * ({@code lttng enable-channel --tracefile-size}, files {@code chan_0_0}, {@code chan_0_1}, ...), which are read one
 * after the other as one stream.
 *
 * @param trace          the trace it belongs to
 * @param path           the file, or the earliest file of a rotated stream (the name babeltrace2 gives the stream)
 * @param streamClassId  the stream class of its packets (from its first packet)
 * @param streamInstanceId the {@code stream_instance_id} of its packet header, or -1 when absent
 */
public record StreamFile(Trace trace, Path path, long streamClassId, long streamInstanceId) {
}
