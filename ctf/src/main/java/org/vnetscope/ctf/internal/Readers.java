package org.vnetscope.ctf.internal;

import java.nio.file.Path;
import org.vnetscope.ctf.TraceReader;

/** Entry point from the public API to the reader implementation. */
public final class Readers {
    private Readers() {
    }

    public static TraceReader open(Path path, TraceReader.Warnings warnings) {
        throw new UnsupportedOperationException("reader implementation pending");
    }
}
