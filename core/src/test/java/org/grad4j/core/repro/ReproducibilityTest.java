package org.grad4j.core.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * grad4j's reproducibility promise: the same seed gives the same bits in a warm and a cold run, in fresh JVMs, on the
 * SIMD and the scalar kernels, with 256-bit instead of 512-bit vectors, with one or two GEMM threads, and before C2
 * compiles anything (C1 only, where the Vector API runs its Java fallback). The forked JVMs run
 * {@link SeededTraining#main} on this test's class path.
 */
class ReproducibilityTest {

    @Test
    void aColdAndAWarmRunInOneJvmGiveTheSameBits() {
        String cold = SeededTraining.fingerprint();
        for (int i = 0; i < 15; i++) SeededTraining.fingerprint();
        assertEquals(cold, SeededTraining.fingerprint());
    }

    @Test
    void freshJvmsGiveTheSameBitsWhateverTheKernelsVectorWidthAndThreads() throws Exception {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("default", List.of());
        variants.put("default again", List.of());
        variants.put("scalar kernels", List.of("-Dgrad4j.kernels=scalar"));
        variants.put("256-bit vectors", List.of("-Dgrad4j.vectorBits=256"));
        variants.put("128-bit vectors", List.of("-Dgrad4j.vectorBits=128"));
        variants.put("one GEMM thread", List.of("-Dgrad4j.gemm.threads=1"));
        variants.put("two GEMM threads", List.of("-Dgrad4j.gemm.threads=2"));
        variants.put("element-wise ops and reductions split in three", List.of("-Dgrad4j.gemm.threads=3",
                "-Dgrad4j.parallel.minElements=0"));
        variants.put("no C2 (C1 only)", List.of("-XX:TieredStopAtLevel=1"));
        String here = SeededTraining.fingerprint();
        StringBuilder report = new StringBuilder("this JVM: " + here);
        Map<String, String> results = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> v : variants.entrySet()) {
            String fingerprint = fork(v.getValue());
            results.put(v.getKey(), fingerprint);
            report.append("\n").append(v.getKey()).append(": ").append(fingerprint);
        }
        for (Map.Entry<String, String> r : results.entrySet()) {
            assertEquals(here, r.getValue(), r.getKey() + " differs:\n" + report);
        }
    }

    private static String fork(List<String> options) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SeededTraining.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "forked JVM did not finish: " + command);
        assertEquals(0, process.exitValue(), "forked JVM failed: " + command + "\n" + output);
        for (String line : output.split("\\R")) {
            if (line.startsWith("fingerprint ")) {
                return line.substring("fingerprint ".length());
            }
        }
        throw new AssertionError("no fingerprint from " + command + ":\n" + output);
    }
}
