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
    void everyDtypeRoundTripsBitForBit(@TempDir Path dir) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f32", Tensor.of(new float[] {Float.NaN, -0f, Float.MIN_VALUE, 3e38f}, 2, 2));
        tensors.put("f64", Tensor.of(new double[] {Double.MIN_VALUE, -1e308}));
        tensors.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, (1L << 53) + 1, -1}, 3, 1));
        tensors.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, 7}));
        tensors.put("u8", Tensor.of(new byte[] {(byte) 255, 0, (byte) 128}));
        tensors.put("bool", Tensor.of(new boolean[] {true, false, true}).reshape(3, 1, 1));
        tensors.put("scalar", Tensor.scalar(42L, DType.INT64));
        tensors.put("empty", Tensor.zeros(DType.BOOL, 0, 3));
        Path file = dir.resolve("all.safetensors");
        StateDictFile.save(file, tensors, Map.of());
        StateDictFile.Contents back = StateDictFile.load(file);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = back.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), t.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertEquals(e.getValue().toString(), t.toString(), e.getKey());
            assertArrayEquals(e.getValue().to(DType.FLOAT64).toDoubleArray(), t.to(DType.FLOAT64).toDoubleArray(),
                    e.getKey());
        }
        assertArrayEquals(new long[] {Long.MIN_VALUE, (1L << 53) + 1, -1}, back.tensors().get("i64").toLongArray());
        assertEquals(Float.floatToRawIntBits(Float.NaN),
                Float.floatToRawIntBits(back.tensors().get("f32").toFloatArray()[0]));
        assertEquals(List.of(TensorData.F32, TensorData.F64, TensorData.I64, TensorData.I32, TensorData.U8,
                TensorData.BOOL, TensorData.I64, TensorData.BOOL),
                SafeTensors.read(file).tensors().values().stream().map(TensorData::dtype).toList());
    }

    @Test
    void float32CanBeWrittenAsHalfOrBFloat16(@TempDir Path dir) throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.of(new float[] {1f / 3, 65520f, -0f}));
        tensors.put("ids", Tensor.of(new long[] {1, 2}));
        Path half = dir.resolve("half.safetensors");
        StateDictFile.save(half, tensors, Map.of(), TensorData.F16);
        assertEquals(TensorData.F16, SafeTensors.read(half).tensors().get("w").dtype());
        assertEquals(TensorData.I64, SafeTensors.read(half).tensors().get("ids").dtype(), "only float32 is narrowed");
        Tensor w = StateDictFile.load(half).tensors().get("w");
        assertEquals(DType.FLOAT32, w.dtype());
        assertArrayEquals(new float[] {0.333251953125f, Float.POSITIVE_INFINITY, -0f}, w.toFloatArray());
        Path bf = dir.resolve("bf16.safetensors");
        StateDictFile.save(bf, tensors, Map.of(), TensorData.BF16);
        assertArrayEquals(new float[] {0.333984375f, 65536f, -0f},
                StateDictFile.load(bf).tensors().get("w").toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> StateDictFile.save(bf, tensors, Map.of(), "F8"));
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
