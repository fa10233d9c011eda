package org.grad4j.examples;

import java.util.Arrays;

/** The examples' argument handling. */
final class CommandLine {
    private CommandLine() {
    }

    /**
     * The words of {@code args}: the Maven command passes {@code -Ddemo.args="..."} as one argument, empty when not
     * given, so arguments are split on white space and blanks dropped.
     */
    static String[] words(String[] args) {
        return Arrays.stream(String.join(" ", args).trim().split("\\s+")).filter(w -> !w.isEmpty())
                .toArray(String[]::new);
    }
}
