package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every kernel loop compiles in C1, the JIT's first compiler. A loop C1 gives up on ("COMPILE SKIPPED: out of virtual
 * registers") can stay in its slowest compiled tier for a whole run: float32 sigmoid, its rare lanes' function
 * inlined in four copies, then took 40 ns per element on 8,192 elements instead of 0.55, in about half the fresh JVMs
 * that ran it. A forked JVM runs {@link KernelWorkout} with {@code -Xcomp} and C1 only ({@code -XX:TieredStopAtLevel=3}):
 * every method it reaches is compiled by C1 before it first runs, whatever the thresholds and the compile queue, and
 * prints its compilations; none of grad4j's may be skipped. (The vector width of this JVM's run is passed on.)
 */
class KernelsCompileAtEveryTierTest {

    @Test
    void noKernelIsTooLargeForC1() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xcomp",
                "-XX:TieredStopAtLevel=3", "-XX:+PrintCompilation"));
        String vectorBits = System.getProperty("grad4j.vectorBits");
        if (vectorBits != null) {
            command.add("-Dgrad4j.vectorBits=" + vectorBits);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelWorkout.class.getName(), "2"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "forked JVM did not finish: " + command);
        assertEquals(0, process.exitValue(), "forked JVM failed: " + command + "\n" + output);
        assertTrue(output.contains("done "), "the workout did not finish:\n" + output);
        List<String> skipped = output.lines()
                .filter(l -> l.contains("COMPILE SKIPPED") && l.contains("org.grad4j")).toList();
        assertTrue(skipped.isEmpty(), "C1 gave up on:\n" + String.join("\n", skipped));
        assertTrue(output.lines().anyMatch(l -> l.contains("org.grad4j.core.kernel.VectorKernels::")),
                "no VectorKernels method was compiled (are the SIMD kernels loaded?):\n" + output.lines().limit(40)
                        .reduce("", (a, b) -> a + "\n" + b));
    }
}
