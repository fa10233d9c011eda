package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class TensorDataTest {

    @Test
    void ofFloatsStoresLittleEndianRowMajor() {
        TensorData t = TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals("F32", t.dtype());
        assertEquals(6, t.numel());
        assertEquals(24, t.byteSize());
        ByteBuffer data = t.data();
        assertEquals(ByteOrder.LITTLE_ENDIAN, data.order());
        assertEquals(0, data.position());
        assertEquals(0x3f800000, data.getInt(0));
        assertEquals((byte) 0x80, data.get(2));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
    }

    @Test
    void noDimsMeansScalar() {
        TensorData t = TensorData.ofDoubles(new double[] {42});
        assertArrayEquals(new int[0], t.shape());
        assertEquals(1, t.numel());
        assertArrayEquals(new double[] {42}, t.toDoubleArray());
    }

    @Test
    void zeroSizedTensors() {
        TensorData t = TensorData.ofFloats(new float[0], 3, 0);
        assertEquals(0, t.numel());
        assertEquals(0, t.byteSize());
        // A zero dimension makes the product 0 however large the other dimensions are.
        TensorData huge = new TensorData("F64", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, ByteBuffer.allocate(0));
        assertEquals(0, huge.numel());
    }

    @Test
    void rejectsInconsistentArguments() {
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new float[] {1, 2, 3}, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new float[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> TensorData.ofFloats(new float[0], -1));
        assertThrows(IllegalArgumentException.class, () -> new TensorData("I16", new int[] {1}, ByteBuffer.allocate(2)));
        assertThrows(IllegalArgumentException.class, () -> new TensorData("BF16", new int[] {1}, ByteBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class, () -> new TensorData("F32", new int[] {2}, ByteBuffer.allocate(7)));
        assertThrows(IllegalArgumentException.class,
                () -> new TensorData("F32", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, ByteBuffer.allocate(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData("F64", new int[] {2, 2}, ByteBuffer.allocate(16)));
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
    }

    @Test
    void wrongElementTypeIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorData.ofFloats(new float[] {1}).toDoubleArray());
        assertTrue(e.getMessage().contains("F32"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> TensorData.ofDoubles(new double[] {1}).toFloatArray());
    }

    @Test
    void isImmutable() {
        int[] shape = {2};
        ByteBuffer source = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(9f).putFloat(1f).putFloat(2f);
        source.position(4); // only the remaining bytes are the tensor
        TensorData t = new TensorData("F32", shape, source);
        shape[0] = 5;
        t.shape()[0] = 7;
        assertArrayEquals(new int[] {2}, t.shape());
        assertArrayEquals(new float[] {1f, 2f}, t.toFloatArray());

        ByteBuffer view = t.data();
        assertTrue(view.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 1));
        view.position(8);
        assertEquals(0, t.data().position(), "each data() call is an independent view");
    }

    @Test
    void equalityIsByContentIncludingNaNBits() {
        float nan = Float.intBitsToFloat(0x7fc00001);
        TensorData a = TensorData.ofFloats(new float[] {nan, 1}, 2);
        TensorData b = TensorData.ofFloats(new float[] {nan, 1}, 2);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, TensorData.ofFloats(new float[] {nan, 1}, 1, 2));
        assertNotEquals(TensorData.ofFloats(new float[] {0f}), TensorData.ofFloats(new float[] {-0f}));
        assertNotEquals(a, TensorData.ofFloats(new float[] {Float.NaN, 1}, 2));
        assertEquals("TensorData[dtype=F32, shape=[2], 8 bytes]", a.toString());
    }
}
