package org.grad4j.core.io;

import java.io.IOException;

/**
 * A safetensors file (or byte array) that is malformed, truncated, or uses a dtype grad4j does
 * not read. The message names the source and the problem, for example
 * {@code model.safetensors: tensor 'w' has unsupported dtype BF16; grad4j reads F32 and F64}.
 */
public class SafeTensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file or stream that was read. */
    private final String source;
    /** What was wrong with it. */
    private final String problem;

    /**
     * Creates the exception; the message is {@code source + ": " + problem}.
     *
     * @param source  the file name, or another description of where the bytes came from
     * @param problem what is wrong, phrased to be read after "source: "
     */
    public SafeTensorsFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** Where the bytes came from: the file path as given to {@link SafeTensors#read}, or {@code <byte array>}. */
    public String source() {
        return source;
    }

    /** The problem alone, without the source. */
    public String problem() {
        return problem;
    }
}
