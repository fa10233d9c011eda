package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsRoundTripTest {

    @TempDir
    Path dir;

    static final int[] SPECIAL_FLOAT_BITS = {
        0x00000000, 0x80000000,             // +0, -0
        0x00000001, 0x807fffff, 0x00400000, // subnormals
        0x00800000, 0x7f7fffff,             // min normal, max
        0x7f800000, 0xff800000,             // +inf, -inf
        0x7fc00000, 0xffc00000,             // canonical quiet NaNs
        0x7fc12345, 0xffffffff,             // quiet NaNs with payloads
        0x7f800001, 0x7fbfffff,             // signalling NaNs
        0x3f800000, 0xc0490fdb,             // 1, -pi
    };

    static final long[] SPECIAL_DOUBLE_BITS = {
        0x0000000000000000L, 0x8000000000000000L,
        0x0000000000000001L, 0x800fffffffffffffL, 0x0008000000000000L,
        0x0010000000000000L, 0x7fefffffffffffffL,
        0x7ff0000000000000L, 0xfff0000000000000L,
        0x7ff8000000000000L, 0xfff8000000000000L,
        0x7ff8000012345678L, 0xffffffffffffffffL,
        0x7ff0000000000001L, 0x7ff7ffffffffffffL,
        0x3ff0000000000000L, 0xc00921fb54442d18L,
    };

    @Test
    void specialFloatValuesSurviveBitForBit() throws Exception {
        float[] values = new float[SPECIAL_FLOAT_BITS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(SPECIAL_FLOAT_BITS[i]);
        }
        Path file = dir.resolve("f32.safetensors");
        SafeTensors.write(file, Map.of("v", TensorData.ofFloats(values, values.length)), null);
        TensorData back = SafeTensors.read(file).tensors().get("v");

        float[] read = back.toFloatArray();
        ByteBuffer raw = back.data();
        for (int i = 0; i < values.length; i++) {
            assertEquals(SPECIAL_FLOAT_BITS[i], raw.getInt(4 * i), "stored bits of element " + i);
            assertEquals(SPECIAL_FLOAT_BITS[i], Float.floatToRawIntBits(read[i]), "read bits of element " + i);
        }
    }

    @Test
    void specialDoubleValuesSurviveBitForBit() throws Exception {
        double[] values = new double[SPECIAL_DOUBLE_BITS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(SPECIAL_DOUBLE_BITS[i]);
        }
        Path file = dir.resolve("f64.safetensors");
        SafeTensors.write(file, Map.of("v", TensorData.ofDoubles(values, values.length)), null);
        TensorData back = SafeTensors.read(file).tensors().get("v");

        double[] read = back.toDoubleArray();
        ByteBuffer raw = back.data();
        for (int i = 0; i < values.length; i++) {
            assertEquals(SPECIAL_DOUBLE_BITS[i], raw.getLong(8 * i), "stored bits of element " + i);
            assertEquals(SPECIAL_DOUBLE_BITS[i], Double.doubleToRawLongBits(read[i]), "read bits of element " + i);
        }
    }

    @Test
    void rawBytesAreKeptExactly() throws Exception {
        byte[] bytes = new byte[24];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11);
        }
        TensorData t = new TensorData("F64", new int[] {3}, ByteBuffer.wrap(bytes));
        TensorData back = SafeTensors.decode(SafeTensors.encode(Map.of("t", t), null)).tensors().get("t");
        byte[] read = new byte[24];
        back.data().get(read);
        assertArrayEquals(bytes, read);
        assertEquals(t, back);
    }

    @Test
    void scalarsZeroSizeTensorsMetadataAndOrderRoundTrip() throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("scalar", TensorData.ofDoubles(new double[] {Math.E}));
        tensors.put("matrix", TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("nothing", TensorData.ofFloats(new float[0], 4, 0, 2));
        tensors.put("also nothing", TensorData.ofDoubles(new double[0], 0));
        tensors.put("after", TensorData.ofFloats(new float[] {-1}, 1, 1, 1));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("", "empty key");
        metadata.put("unicode ключ", "значение 🙂 \"quoted\" \\ \n");

        Path file = dir.resolve("mixed.safetensors");
        SafeTensors.write(file, tensors, metadata);
        SafeTensorsFile back = SafeTensors.read(file);

        assertEquals(tensors, back.tensors());
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        assertEquals(metadata, back.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(back.metadata().keySet()));
        assertEquals(1, back.tensors().get("scalar").numel());
        assertArrayEquals(new int[] {4, 0, 2}, back.tensors().get("nothing").shape());
        assertEquals(0, back.tensors().get("nothing").numel());
        assertArrayEquals(new float[0], back.tensors().get("nothing").toFloatArray());
        assertArrayEquals(Files.readAllBytes(file), SafeTensors.encode(tensors, metadata), "write and encode agree");
    }

    @Test
    void outputIsDeterministicAndFollowsMapOrder() {
        Map<String, TensorData> sorted = new TreeMap<>();
        sorted.put("b", TensorData.ofFloats(new float[] {2}, 1));
        sorted.put("a", TensorData.ofFloats(new float[] {1}, 1));
        Map<String, TensorData> reversed = new LinkedHashMap<>();
        reversed.put("b", sorted.get("b"));
        reversed.put("a", sorted.get("a"));

        assertArrayEquals(SafeTensors.encode(sorted, null), SafeTensors.encode(new TreeMap<>(sorted), null));
        byte[] bytes = SafeTensors.encode(reversed, null);
        String header = new String(bytes, 8, bytes.length - 8 - 8, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.indexOf("\"b\"") < header.indexOf("\"a\""), header);
        assertTrue(header.contains("\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"), header);
    }

    @Test
    void encodeRejectsWhatCannotBeWritten() {
        TensorData t = TensorData.ofFloats(new float[] {1}, 1);
        IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.encode(Map.of("__metadata__", t), null));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
        IllegalArgumentException surrogate = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.encode(Map.of("bad\ud800name", t), null));
        assertTrue(surrogate.getMessage().contains("tensor name") && surrogate.getMessage().contains("surrogate"), surrogate.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.encode(Map.of(), Map.of("k", "\udc00")));
        Map<String, TensorData> nullValue = new LinkedHashMap<>();
        nullValue.put("x", null);
        IllegalArgumentException nullTensor = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.encode(nullValue, null));
        assertEquals("SafeTensors.encode: tensor 'x' is null", nullTensor.getMessage());
    }

    // ---- properties

    record Named(String name, TensorData tensor) {
    }

    @Provide
    Arbitrary<List<Named>> tensorLists() {
        Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 4).array(int[].class).ofMaxSize(4);
        Arbitrary<TensorData> floats = shapes.flatMap(shape -> {
            int n = numel(shape);
            return Arbitraries.integers().array(int[].class).ofSize(n).map(bits -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Float.intBitsToFloat(bits[i]);
                }
                return TensorData.ofFloats(v, shape);
            });
        });
        Arbitrary<TensorData> doubles = shapes.flatMap(shape -> {
            int n = numel(shape);
            return Arbitraries.longs().array(long[].class).ofSize(n).map(bits -> {
                ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (long x : bits) {
                    b.putLong(x);
                }
                return new TensorData("F64", shape, b.flip());
            });
        });
        Arbitrary<String> names = Arbitraries.strings().ofMaxLength(12)
                .filter(s -> !s.equals("__metadata__") && s.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE));
        Arbitrary<Named> named = Combinators.combine(names, Arbitraries.oneOf(floats, doubles)).as(Named::new);
        return named.list().ofMaxSize(6).uniqueElements(Named::name);
    }

    @Property(tries = 300)
    void anyTensorsRoundTripExactlyInOrder(@ForAll("tensorLists") List<Named> list,
                                           @ForAll Map<String, String> rawMetadata) throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        list.forEach(n -> tensors.put(n.name(), n.tensor()));
        Map<String, String> metadata = new LinkedHashMap<>();
        rawMetadata.forEach((k, v) -> {
            if (encodable(k) && encodable(v)) {
                metadata.put(k, v);
            }
        });

        byte[] bytes = SafeTensors.encode(tensors, metadata);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + headerLength) % 8, "data starts 8-byte aligned");

        SafeTensorsFile back = SafeTensors.decode(bytes);
        assertEquals(new ArrayList<>(tensors.entrySet()), new ArrayList<>(back.tensors().entrySet()));
        assertEquals(metadata, back.metadata());
        assertArrayEquals(bytes, SafeTensors.encode(back.tensors(), back.metadata()), "re-encoding is stable");
    }

    private static boolean encodable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
