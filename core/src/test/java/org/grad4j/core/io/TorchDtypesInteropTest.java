package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A safetensors file written from real PyTorch 1.13 tensors of every integer, bool and 16-bit float dtype
 * ({@code make_torch_dtypes.py} beside it) loads with torch's values, and grad4j's float32-to-F16/BF16 rounding
 * gives torch's bits.
 */
class TorchDtypesInteropTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchDtypesInteropTest.class.getResource(name).toURI());
    }

    private static Map<String, long[]> expected() throws IOException {
        Map<String, long[]> out = new HashMap<>();
        try (InputStream in = TorchDtypesInteropTest.class.getResourceAsStream("torch_dtypes_expected.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split(": ");
                out.put(parts[0], Arrays.stream(parts[1].trim().split(" ")).mapToLong(Long::parseLong).toArray());
            }
        }
        return out;
    }

    private static void assertSameFloats(long[] expectedBits, float[] actual, String what) {
        assertEquals(expectedBits.length, actual.length, what);
        for (int i = 0; i < actual.length; i++) {
            float e = Float.intBitsToFloat((int) expectedBits[i]);
            if (Float.isNaN(e)) {
                assertTrue(Float.isNaN(actual[i]), what + " element " + i);
            } else {
                assertEquals(expectedBits[i] & 0xFFFFFFFFL, Float.floatToRawIntBits(actual[i]) & 0xFFFFFFFFL,
                        what + " element " + i + ": " + e + " vs " + actual[i]);
            }
        }
    }

    @Test
    void aFileWrittenByPyTorchLoadsEveryDtype() throws Exception {
        Map<String, long[]> expected = expected();
        StateDictFile.Contents c = StateDictFile.load(resource("torch_dtypes.safetensors"));
        Tensor ids = c.tensors().get("token_ids");
        assertEquals(DType.INT64, ids.dtype());
        assertArrayEquals(new int[] {2, 3}, ids.shape());
        assertArrayEquals(expected.get("token_ids"), ids.toLongArray());
        Tensor tracked = c.tensors().get("num_batches_tracked");
        assertEquals(0, tracked.dim());
        assertEquals(expected.get("num_batches_tracked")[0], tracked.itemLong());
        Tensor mask = c.tensors().get("mask");
        assertEquals(DType.BOOL, mask.dtype());
        assertArrayEquals(expected.get("mask"), mask.toLongArray());
        assertEquals(DType.INT32, c.tensors().get("counts").dtype());
        assertArrayEquals(expected.get("counts"), c.tensors().get("counts").toLongArray());
        assertEquals(DType.UINT8, c.tensors().get("pixels").dtype());
        assertArrayEquals(expected.get("pixels"), c.tensors().get("pixels").toLongArray());
        assertEquals(DType.FLOAT32, c.tensors().get("half").dtype());
        assertSameFloats(expected.get("half"), c.tensors().get("half").toFloatArray(), "F16 -> float32");
        assertSameFloats(expected.get("bhalf"), c.tensors().get("bhalf").toFloatArray(), "BF16 -> float32");
    }

    @Test
    void writingHalfFloatsRoundsAsPyTorch() throws IOException {
        Map<String, long[]> expected = expected();
        long[] sourceBits = expected.get("source");
        float[] source = new float[sourceBits.length];
        for (int i = 0; i < source.length; i++) source[i] = Float.intBitsToFloat((int) sourceBits[i]);
        short[] half = shorts(TensorData.ofHalfFloats(source, source.length));
        short[] bhalf = shorts(TensorData.ofBFloat16s(source, source.length));
        for (int i = 0; i < source.length; i++) {
            assertEquals(expected.get("half_bits")[i], half[i] & 0xFFFF, "F16 of " + source[i]);
            if (Float.isNaN(source[i])) {
                // torch 1.13 writes bfloat16 NaN as 0xFFFF, grad4j keeps the sign and sets the quiet bit: both NaN.
                assertTrue(Float.isNaN(Float.intBitsToFloat((bhalf[i] & 0xFFFF) << 16)));
            } else {
                assertEquals(expected.get("bhalf_bits")[i], bhalf[i] & 0xFFFF, "BF16 of " + source[i]);
            }
        }
    }

    private static short[] shorts(TensorData data) {
        ByteBuffer b = data.data().order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[b.remaining() / 2];
        b.asShortBuffer().get(out);
        return out;
    }

    /** Every one of the 65,536 half-precision patterns against the format's definition, computed in double. */
    @Test
    void everyHalfFloatPatternDecodesExactly() {
        ByteBuffer all = ByteBuffer.allocate(2 * 65536).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits = 0; bits < 65536; bits++) all.putShort((short) bits);
        float[] decoded = new TensorData(TensorData.F16, new int[] {65536}, all.flip()).toFloatArray();
        for (int bits = 0; bits < 65536; bits++) {
            int sign = bits >> 15;
            int exponent = bits >> 10 & 0x1F;
            int mantissa = bits & 0x3FF;
            double magnitude = exponent == 0 ? mantissa * Math.pow(2, -24)
                    : exponent == 31 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1024 + mantissa) * Math.pow(2, exponent - 25);
            double expectedValue = sign == 1 ? -magnitude : magnitude;
            if (Double.isNaN(expectedValue)) {
                assertTrue(Float.isNaN(decoded[bits]), "pattern " + bits);
            } else {
                assertEquals(Float.floatToRawIntBits((float) expectedValue), Float.floatToRawIntBits(decoded[bits]),
                        "pattern " + Integer.toHexString(bits));
            }
        }
        float[] back = new float[65536];
        System.arraycopy(decoded, 0, back, 0, back.length);
        short[] encoded = shorts(TensorData.ofHalfFloats(back, back.length));
        for (int bits = 0; bits < 65536; bits++) {
            if (!Float.isNaN(decoded[bits])) {
                assertEquals(bits, encoded[bits] & 0xFFFF, "every half round-trips through float32");
            }
        }
    }

    /** Halfway between two adjacent bfloat16 values, the even one wins; everything else goes to the nearer one. */
    @Test
    void bfloat16RoundsToNearestEven() {
        float one = 1f;
        float ulp = Float.intBitsToFloat(0x3F810000) - one;                 // bfloat16's step above 1
        float[] values = {one + ulp / 2, one + 1.5f * ulp, one + ulp / 2 + Math.ulp(one), -(one + 1.5f * ulp),
            Float.MIN_VALUE, Float.MAX_VALUE};
        short[] bits = shorts(TensorData.ofBFloat16s(values, values.length));
        assertEquals(0x3F80, bits[0] & 0xFFFF, "tie to even (down)");
        assertEquals(0x3F82, bits[1] & 0xFFFF, "tie to even (up)");
        assertEquals(0x3F81, bits[2] & 0xFFFF, "above the tie rounds up");
        assertEquals(0xBF82, bits[3] & 0xFFFF, "negative ties too");
        assertEquals(0x0000, bits[4] & 0xFFFF, "the smallest subnormal rounds to zero");
        assertEquals(0x7F80, bits[5] & 0xFFFF, "the largest float rounds up to infinity");
    }
}
