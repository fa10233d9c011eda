package org.grad4j.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingStream;

/**
 * How long the JIT takes to compile grad4j's kernels. After {@link UnaryOpBenchmark}'s set-up it calls each of its
 * Tensor-API functions on 10^6 elements for a few seconds, one function after the other, and prints the JIT
 * compilations of grad4j's methods that took 100 ms or more (JFR's {@code jdk.Compilation} events), longest first.
 * A kernel whose C2 compilation takes seconds runs in its slow first tier all that time, and the compilations queued
 * behind it wait: float32 erf's took 7.5 s on one core until its two polynomial pieces became two Horner chains
 * (Math.snippets, erff). Run, pinned to one core like the other benchmarks' mains:
 * {@code taskset -c 1 java --add-modules jdk.incubator.vector -cp CP org.grad4j.benchmarks.KernelCompileTimes
 * [float32|float64] [seconds per function, default 4]}.
 */
public final class KernelCompileTimes {
    private KernelCompileTimes() {
    }

    private record Compilation(String method, int level, boolean osr, Duration took) {
    }

    public static void main(String[] args) {
        String dtype = args.length > 0 ? args[0] : "float32";
        if (!dtype.equals("float32") && !dtype.equals("float64")) {
            throw new IllegalArgumentException("KernelCompileTimes: the dtype is float32 or float64, got " + dtype);
        }
        double seconds = args.length > 1 ? seconds(args[1]) : 4;
        UnaryOpBenchmark b = new UnaryOpBenchmark();
        b.dtype = dtype;
        b.size = 1_000_000;
        b.setUp();
        List<Compilation> slow = new ArrayList<>();
        try (RecordingStream events = new RecordingStream()) {
            events.enable("jdk.Compilation").withThreshold(Duration.ofMillis(100));
            events.onEvent("jdk.Compilation", e -> {
                RecordedMethod m = e.getValue("method");
                if (m != null && m.getType().getName().startsWith("org.grad4j")) {
                    synchronized (slow) {
                        slow.add(new Compilation(m.getType().getName() + "::" + m.getName(), e.getInt("compileLevel"),
                                e.getBoolean("isOsr"), e.getDuration()));
                    }
                }
            });
            events.startAsync();
            System.out.printf(Locale.ROOT, "%-8s %s: calls in %.1f s, last call ns per element%n", "function", dtype,
                    seconds);
            for (String name : UnaryOpBenchmark.TENSOR_FUNCTIONS) {
                Supplier<Object> f = b.tensorFunction(name);
                long start = System.nanoTime();
                long calls = 0;
                long last = 0;
                while (System.nanoTime() - start < seconds * 1e9) {
                    long t = System.nanoTime();
                    f.get();
                    last = System.nanoTime() - t;
                    calls++;
                }
                System.out.printf(Locale.ROOT, "%-8s %8d %10.2f%n", name, calls, last / 1e6);
            }
            events.stop();
        }
        System.out.println("\ngrad4j compilations of 100 ms or more, longest first (level 4: C2; OSR: mid-loop):");
        slow.sort(Comparator.comparing(Compilation::took).reversed());
        for (Compilation c : slow) {
            System.out.printf(Locale.ROOT, "%8d ms  level %d%s  %s%n", c.took().toMillis(), c.level(),
                    c.osr() ? " OSR" : "    ", c.method());
        }
    }

    private static double seconds(String text) {
        try {
            double seconds = Double.parseDouble(text);
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("KernelCompileTimes: seconds per function must be a positive number, got "
                + text);
    }
}
