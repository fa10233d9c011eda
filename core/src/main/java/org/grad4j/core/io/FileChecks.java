package org.grad4j.core.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The checks and messages around state-dict files that the file system would otherwise report badly: a directory
 * given as the file ({@code IOException: Is a directory}, no path), a missing directory (which names the hidden
 * temporary file) and an interrupted thread ({@code ClosedByInterruptException: null}).
 */
final class FileChecks {
    private FileChecks() {
    }

    /** Refuses a directory and a file in a missing directory, naming the path the caller gave. */
    static void checkWritable(String operation, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, operation + ": this is a directory; give the path"
                    + " of a file in it, e.g. " + file.resolve("model.safetensors"));
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, operation + " " + file + ": the directory does not"
                    + " exist; create it first (Files.createDirectories)");
        }
    }

    /** Refuses a directory given as the file to read. */
    static void checkReadable(String operation, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, operation + ": this is a directory, not a"
                    + " safetensors file");
        }
    }

    /** The exception for a file operation abandoned because the thread's interrupt flag was set. */
    static InterruptedIOException interrupted(String operation, Path file, ClosedByInterruptException cause) {
        InterruptedIOException e = new InterruptedIOException(operation + " " + file + ": the thread was"
                + " interrupted (its interrupt flag is set), so the file operation was abandoned and nothing was"
                + " changed; clear the flag (Thread.interrupted()) or let the interrupt end the work");
        e.initCause(cause);
        return e;
    }
}
