package org.grad4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grad4j.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point, started in a JVM of its own as spark-submit would, against a {@code local[2]} master. */
class TrainCsvTest {
    @TempDir
    Path dir;

    @Test
    void trainsFromACsvFileInASeparateJvm() throws IOException, InterruptedException {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder text = new StringBuilder("a,b,c,d,species\n");
        for (Example e : SparkTestSupport.blobs(400, 5)) {
            double[] x = e.features();
            text.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%d%n", x[0], x[1], x[2], x[3], (int) e.label()[0]));
        }
        Files.writeString(csv, text, StandardCharsets.UTF_8);
        Path model = dir.resolve("model.safetensors");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.flags", "").trim().split("\\s+")));
        command.addAll(List.of("-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), TrainCsv.class.getName(),
                "local[2]", csv.toString(), "--label", "species", "--epochs", "2", "--batch", "32",
                "--partitions", "2", "--hidden", "16", "--lr", "0.03", "--output", model.toString()));
        command.removeIf(String::isEmpty);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Path log = dir.resolve("out.txt");
        Process process = builder.redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(finished, "TrainCsv did not finish in 240 s:\n" + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("in 2 partitions") && output.contains("strategy DRIVER"), output);
        Matcher m = Pattern.compile("epoch 2: train loss [0-9.]+, validation loss [0-9.]+, accuracy ([0-9.]+)")
                .matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, output);

        Module restored = TrainCsv.mlp(4, new int[] {16}, 3, 99);
        restored.load(model);
        assertEquals(4 * 16 + 16 + 16 * 3 + 3, restored.parameterCount());
    }

    @Test
    void badArgumentsAreExplained() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TrainCsv.parse(new String[] {"local[2]", "x.csv", "--epoch", "3"}));
        assertTrue(e.getMessage().contains("unknown option '--epoch'"), e.getMessage());
    }
}
