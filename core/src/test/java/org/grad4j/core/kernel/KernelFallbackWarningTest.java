package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The slow path is never silent: a JVM started without {@code --add-modules jdk.incubator.vector} logs one WARNING
 * through {@link System.Logger} (here the JDK's default backend, java.util.logging, which writes to stderr) naming
 * the reason and the fix; a JVM with the module logs nothing at the default level.
 */
class KernelFallbackWarningTest {

    /** Run in a forked JVM: uses the kernels twice, so the test can check the warning comes once. */
    public static void main(String[] args) {
        KernelProvider.get();
        KernelProvider.get();
        System.out.println("chosen: " + KernelProvider.description());
    }

    @Test
    void warningNamesTheReasonAndEveryBuildTool() {
        String text = KernelProvider.fallbackWarning("module jdk.incubator.vector is not in the boot layer");
        assertTrue(text.contains("scalar kernels"), text);
        assertTrue(text.contains("Why: module jdk.incubator.vector is not in the boot layer."), text);
        assertTrue(text.contains("<argLine>--add-modules jdk.incubator.vector</argLine>"), text);
        assertTrue(text.contains("<argument>--add-modules</argument><argument>jdk.incubator.vector</argument>"), text);
        assertTrue(text.contains("applicationDefaultJvmArgs = ['--add-modules jdk.incubator.vector']"), text);
        assertTrue(text.contains("jvmArgs '--add-modules jdk.incubator.vector'"), text);
        assertTrue(text.contains("VM options: --add-modules jdk.incubator.vector"), text);
    }

    @Test
    void withoutTheModuleOneWarningIsLogged() throws Exception {
        Result run = fork(List.of());
        assertTrue(run.stdout.contains("chosen: scalar"), run.toString());
        assertEquals(1, count(run.stderr, "grad4j uses its portable scalar kernels"), run.toString());
        assertTrue(run.stderr.contains("WARNING"), run.toString());
        assertTrue(run.stderr.contains("Why: module jdk.incubator.vector is not in the boot layer"), run.toString());
    }

    @Test
    void forcingScalarAlsoWarnsWithThatReason() throws Exception {
        Result run = fork(List.of("--add-modules", "jdk.incubator.vector", "-Dgrad4j.kernels=scalar"));
        assertEquals(1, count(run.stderr, "grad4j uses its portable scalar kernels"), run.toString());
        assertTrue(run.stderr.contains("Why: requested by -Dgrad4j.kernels=scalar"), run.toString());
    }

    @Test
    void withTheModuleNothingIsLoggedAtTheDefaultLevel() throws Exception {
        Result run = fork(List.of("--add-modules", "jdk.incubator.vector"));
        assertTrue(run.stdout.contains("chosen: vector"), run.toString());
        assertFalse(run.stderr.contains("grad4j"), run.toString());
    }

    private record Result(String stdout, String stderr) {
        @Override
        public String toString() {
            return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Result fork(List<String> jvmArgs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelFallbackWarningTest.class.getName()));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "forked JVM did not finish");
        return new Result(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
