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
    private static final String[] FUNCTIONS =
            {"exp", "expm1", "log", "log1p", "tanh", "sigmoid", "sin", "cos", "erf", "pow", "powt", "sum", "softmax"};

    private KernelCompileTimes() {
    }

    private record Compilation(String method, int level, boolean osr, Duration took) {
    }

    public static void main(String[] args) {
        String dtype = args.length > 0 ? args[0] : "float32";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4;
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
            System.out.printf(Locale.ROOT, "%-8s %s: calls in %.0f s, last call ns per element%n", "function", dtype,
                    seconds);
            for (String name : FUNCTIONS) {
                Supplier<Object> f = function(b, name);
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

    private static Supplier<Object> function(UnaryOpBenchmark b, String name) {
        return switch (name) {
            case "exp" -> b::exp;
            case "expm1" -> b::expm1;
            case "log" -> b::log;
            case "log1p" -> b::log1p;
            case "tanh" -> b::tanh;
            case "sigmoid" -> b::sigmoid;
            case "sin" -> b::sin;
            case "cos" -> b::cos;
            case "erf" -> b::erf;
            case "pow" -> b::powHalf;
            case "powt" -> b::powTensor;
            case "sum" -> b::sum;
            case "softmax" -> b::softmaxRows;
            default -> throw new IllegalArgumentException("unknown function: " + name);
        };
    }
}
