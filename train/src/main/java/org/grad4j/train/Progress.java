package org.grad4j.train;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * How {@link Trainer#fit} reports progress.
 * <ul>
 *   <li>{@link #BAR}: a bar per epoch, redrawn in place with {@code \r} (batches done, samples per second,
 *   running loss, time left), replaced by the epoch's line at its end;</li>
 *   <li>{@link #LINES}: one plain line per epoch, for logs and CI;</li>
 *   <li>{@link #NONE}: silent;</li>
 *   <li>{@link #AUTO} (the default): {@code BAR} when the output is a terminal (there is a console, it is a
 *   terminal, and {@code TERM} is not {@code dumb}), else {@code LINES}.</li>
 * </ul>
 */
public enum Progress {
    /** A bar on terminals, plain lines elsewhere. */
    AUTO,
    /** A bar per epoch, redrawn in place. */
    BAR,
    /** One line per epoch. */
    LINES,
    /** Nothing. */
    NONE;

    /** {@link #BAR} or {@link #LINES} for {@link #AUTO}; other values as they are. */
    Progress resolve() {
        if (this != AUTO) return this;
        return isTerminal() ? BAR : LINES;
    }

    /** Whether standard output is an interactive terminal that understands {@code \r}. */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            // Java 22+ returns a console even when output is redirected; isTerminal() tells them apart.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;   // Java 21: a non-null console means a terminal
        }
    }

    /** Draws the bar of one epoch; all output goes to {@code out}. */
    static final class Bar {
        private static final int WIDTH = 24;
        private static final long REDRAW_NANOS = 100_000_000L;
        private final PrintStream out;
        private final String prefix;
        private final int batches;
        private final long start = System.nanoTime();
        private long lastDraw;
        private int lastLength;

        Bar(PrintStream out, String prefix, int batches) {
            this.out = out;
            this.prefix = prefix;
            this.batches = batches;
        }

        void update(int done, long samples, double runningLoss) {
            long now = System.nanoTime();
            if (done < batches && now - lastDraw < REDRAW_NANOS) return;
            lastDraw = now;
            double seconds = (now - start) / 1e9;
            int filled = batches == 0 ? WIDTH : (int) ((long) WIDTH * done / batches);
            String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
            double eta = done == 0 ? Double.NaN : seconds * (batches - done) / done;
            String line = String.format("%s [%s] %d/%d  %s samples/s  loss %s  ETA %s", prefix, bar, done, batches,
                    seconds > 0 ? String.format("%,.0f", samples / seconds) : "-", Trainer.format(runningLoss),
                    Trainer.duration(eta));
            draw(line);
        }

        /** Replaces the bar with {@code line} and ends it. */
        void finish(String line) {
            draw(line);
            out.println();
            out.flush();
        }

        private void draw(String line) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            out.flush();
            lastLength = line.length();
        }
    }
}
