package org.vnetscope.ctf;

import java.nio.file.Path;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * One CTF trace: a directory with a {@code metadata} file and its data stream files.
 *
 * @param directory the trace directory
 * @param metadata  everything its metadata declares
 */
public record Trace(Path directory, TraceClass metadata) {

    /** The {@code hostname} of the env block, or null. */
    public String hostname() {
        Object value = metadata.env().get("hostname");
        return value == null ? null : value.toString();
    }
}
