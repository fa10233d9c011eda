package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Files built byte by byte here, checked against both the decoder and the encoder. */
class SafeTensorsGoldenTest {

    /** The same tensor as the reference implementation's serialization test: F32 [1, 2, 3] holding 0..5. */
    @Test
    void f32TensorWhoseHeaderIsExactlyAligned() throws Exception {
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(64, header.length(), "this header needs no padding");
        byte[] expected = Bytes.create()
                .raw((byte) 64, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0)
                .ascii(header)
                .raw((byte) 0, (byte) 0, (byte) 0, (byte) 0)              // 0.0f
                .raw((byte) 0, (byte) 0, (byte) 0x80, (byte) 0x3f)        // 1.0f
                .raw((byte) 0, (byte) 0, (byte) 0, (byte) 0x40)           // 2.0f
                .raw((byte) 0, (byte) 0, (byte) 0x40, (byte) 0x40)        // 3.0f
                .raw((byte) 0, (byte) 0, (byte) 0x80, (byte) 0x40)        // 4.0f
                .raw((byte) 0, (byte) 0, (byte) 0xa0, (byte) 0x40)        // 5.0f
                .toArray();

        SafeTensorsFile file = SafeTensors.decode(expected);
        TensorData t = file.tensors().get("attn.0");
        assertEquals("F32", t.dtype());
        assertArrayEquals(new int[] {1, 2, 3}, t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.toFloatArray());
        assertTrue(file.metadata().isEmpty());

        byte[] encoded = SafeTensors.encode(Map.of("attn.0", TensorData.ofFloats(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)), null);
        assertArrayEquals(expected, encoded);
    }

    @Test
    void headerIsPaddedWithSpacesToEightBytes() throws Exception {
        String header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(65, header.length());
        byte[] expected = Bytes.create().u64(72).ascii(header).ascii("       ").f32(0, 1, 2, 3, 4, 5).toArray();

        assertArrayEquals(expected, SafeTensors.encode(Map.of("attn0", TensorData.ofFloats(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3)), Map.of()));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, SafeTensors.decode(expected).tensors().get("attn0").toFloatArray());
    }

    @Test
    void metadataFirstThenTensorsInMapOrderWithF64Data() throws Exception {
        String header = "{\"__metadata__\":{\"format\":\"grad4j\",\"step\":\"7\"},"
                + "\"z.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"a.weight\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[20,20]}}";
        int padded = (header.length() + 7) / 8 * 8;
        byte[] expected = Bytes.create()
                .u64(padded).ascii(header).ascii(" ".repeat(padded - header.length()))
                .raw((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0xf8, (byte) 0x3f) // 1.5
                .raw((byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0x00, (byte) 0xc0) // -2.0
                .raw((byte) 0, (byte) 0, (byte) 0x20, (byte) 0x41)                                          // 10.0f
                .toArray();

        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("z.bias", TensorData.ofDoubles(new double[] {1.5, -2.0}, 2));
        tensors.put("a.weight", TensorData.ofFloats(new float[] {10f}));
        tensors.put("empty", TensorData.ofFloats(new float[0], 0, 3));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "grad4j");
        metadata.put("step", "7");
        assertArrayEquals(expected, SafeTensors.encode(tensors, metadata));

        SafeTensorsFile file = SafeTensors.decode(expected);
        assertEquals(List.of("z.bias", "a.weight", "empty"), List.copyOf(file.tensors().keySet()));
        assertArrayEquals(new double[] {1.5, -2.0}, file.tensors().get("z.bias").toDoubleArray());
        assertArrayEquals(new float[] {10f}, file.tensors().get("a.weight").toFloatArray());
        assertEquals(0, file.tensors().get("empty").numel());
        assertEquals(metadata, file.metadata());
    }

    @Test
    void emptyFile() throws Exception {
        byte[] expected = Bytes.create().u64(8).ascii("{}      ").toArray();
        assertArrayEquals(expected, SafeTensors.encode(Map.of(), null));
        SafeTensorsFile file = SafeTensors.decode(expected);
        assertTrue(file.tensors().isEmpty());
        assertTrue(file.metadata().isEmpty());
    }

    @Test
    void namesAndMetadataAreEscapedLikeJson() throws Exception {
        String name = "quote\" back\\ tab\t nl\n bell\u0007 é 🙂 /";
        String header = "{\"__metadata__\":{\"k\":\"\\u0000\"},"
                + "\"quote\\\" back\\\\ tab\\t nl\\n bell\\u0007 é 🙂 /\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        byte[] expected = Bytes.create().u64(padded).raw(h).ascii(" ".repeat(padded - h.length)).f32(1f).toArray();

        assertArrayEquals(expected, SafeTensors.encode(Map.of(name, TensorData.ofFloats(new float[] {1f}, 1)), Map.of("k", "\0")));
        SafeTensorsFile file = SafeTensors.decode(expected);
        assertEquals(List.of(name), List.copyOf(file.tensors().keySet()));
        assertEquals(Map.of("k", "\0"), file.metadata());
    }

    /** Other writers: any JSON whitespace, escapes we never write, header order unlike offset order, unknown fields. */
    @Test
    void decodesHeadersThatOtherWritersProduce() throws Exception {
        String header = "\n{ \"b\" : {\"data_offsets\": [8, 12], \"shape\": [1], \"dtype\": \"F32\", \"extra\": {\"x\": [null, true]}},\r\n"
                + "\t\"\\u0061\\/\\ud83d\\ude42\": {\"dtype\": \"F64\", \"shape\": [ ], \"data_offsets\": [0, 8]} }\n  ";
        byte[] bytes = Bytes.file(header, Bytes.create().f64(-0.25).f32(3f).toArray());

        SafeTensorsFile file = SafeTensors.decode(bytes);
        assertEquals(List.of("b", "a/🙂"), List.copyOf(file.tensors().keySet()));
        assertArrayEquals(new float[] {3f}, file.tensors().get("b").toFloatArray());
        assertArrayEquals(new double[] {-0.25}, file.tensors().get("a/🙂").toDoubleArray());
        assertArrayEquals(new int[0], file.tensors().get("a/🙂").shape());
    }
}
