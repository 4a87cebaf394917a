package org.vnetscope.ctf;

import java.nio.file.Path;

/**
 * A trace that cannot be read as CTF: bad metadata, a truncated or corrupt stream, a missing file. The message
 * is one line that names the file and, when known, the byte offset where decoding stopped.
 */
public class CtfException extends RuntimeException {

    private final transient Path file;
    private final long offset;

    public CtfException(Path file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public CtfException(Path file, long offset, String problem, Throwable cause) {
        super(format(file, offset, problem), cause);
        this.file = file;
        this.offset = offset;
    }

    private static String format(Path file, long offset, String problem) {
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(file);
            if (offset >= 0) {
                text.append(" at byte ").append(offset);
            }
            text.append(": ");
        }
        return text.append(problem).toString();
    }

    /** The file at fault, or null when the problem is not tied to one file. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the problem was found, or -1 when unknown. */
    public long offset() {
        return offset;
    }
}
