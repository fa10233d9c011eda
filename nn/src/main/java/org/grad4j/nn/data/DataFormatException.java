package org.grad4j.nn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file that cannot be read as what it claims to be: wrong magic number, truncated, corrupt, a missing or
 * non-numeric CSV value. The message names the file and what was wrong (and, for CSV, the line and column).
 * Nothing is returned from a file that fails, so no half-filled tensor can reach a model.
 */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file, which the message names, and what is wrong with it. */
    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** As {@link #DataFormatException(Path, String)}, with the low-level cause. */
    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
