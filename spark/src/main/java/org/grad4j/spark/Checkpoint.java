package org.grad4j.spark;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A distributed run on disk: {@code model.safetensors} (the model's state dict), {@code optimizer.safetensors} (the
 * optimizer's, over the model's parameters, whatever the strategy) and {@code trainer.properties} (step, seed, batch
 * size, partition sizes, scheduler state), written last so a directory without it is an unfinished checkpoint.
 */
record Checkpoint(Path directory, Properties properties) {
    static final String FORMAT = "grad4j.spark/1";
    static final String MODEL = "model.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String PROPERTIES = "trainer.properties";

    static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(PROPERTIES);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IOException("DistributedTrainer.resume: " + dir + " is not a finished checkpoint (no "
                    + PROPERTIES + ")", e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("DistributedTrainer.resume: " + file + " has format " + p.getProperty("format")
                    + ", expected " + FORMAT);
        }
        return new Checkpoint(dir, p);
    }

    static void writeProperties(Path dir, Map<String, String> values) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.putAll(values);
        Path tmp = dir.resolve(PROPERTIES + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "grad4j distributed training checkpoint");
        }
        Files.move(tmp, dir.resolve(PROPERTIES), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String get(String key) throws IOException {
        String v = properties.getProperty(key);
        if (v == null) {
            throw new IOException("DistributedTrainer.resume: " + directory.resolve(PROPERTIES) + " lacks '" + key + "'");
        }
        return v;
    }

    Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), properties.getProperty(key));
            }
        }
        return out;
    }
}
