package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one state-dict save/load path: round trips, order, and checks that run before anything is written. */
class StateDictFileTest {

    @Test
    void roundTripKeepsOrderValuesDtypesAndMetadata(@TempDir Path dir) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z", Tensor.of(new float[] {1.5f, -0.0f, Float.MIN_VALUE}, 3));
        tensors.put("a", Tensor.scalar(7, DType.FLOAT64));
        tensors.put("m", Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).t());   // a strided view
        Path file = dir.resolve("s.safetensors");
        StateDictFile.save(file, tensors, Map.of("k", "v"));

        StateDictFile.Contents back = StateDictFile.load(file);
        assertEquals(List.of("z", "a", "m"), List.copyOf(back.tensors().keySet()));
        assertEquals(Map.of("k", "v"), back.metadata());
        assertArrayEquals(new float[] {1.5f, -0.0f, Float.MIN_VALUE}, back.tensors().get("z").toFloatArray());
        assertEquals(DType.FLOAT64, back.tensors().get("a").dtype());
        assertEquals(0, back.tensors().get("a").shape().length);
        assertArrayEquals(new int[] {3, 2}, back.tensors().get("m").shape());
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, back.tensors().get("m").toDoubleArray());
    }

    @Test
    void nullEntriesAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.safetensors");
        Map<String, Tensor> withNull = new HashMap<>();
        withNull.put("w", null);
        var e = assertThrows(IllegalArgumentException.class, () -> StateDictFile.save(file, withNull, Map.of()));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        Map<String, String> badMeta = new HashMap<>();
        badMeta.put("k", null);
        assertThrows(IllegalArgumentException.class,
                () -> StateDictFile.save(file, Map.of("w", Tensor.ones(2)), badMeta));
        assertFalse(Files.exists(file));
        try (var listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "no temporary file left behind");
        }
    }
}
