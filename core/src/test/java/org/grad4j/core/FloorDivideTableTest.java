package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * floorDivide and remainder against values produced by real PyTorch 1.13 ({@code make_floor_divide_table.py}
 * beside the table), bit for bit (signed zeros and NaN included), plus integer division by zero.
 */
class FloorDivideTableTest {

    @Test
    void floorDivideAndRemainderMatchPyTorch() throws IOException {
        String table;
        try (InputStream in = FloorDivideTableTest.class.getResourceAsStream("floor_divide_table.csv")) {
            table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = table.split("\n");
        assertEquals(305, lines.length);
        for (int i = 1; i < lines.length; i++) {
            String[] r = lines[i].split(",");
            DType dtype = DType.valueOf(r[0]);
            Tensor a = Tensor.scalar(Double.parseDouble(r[1]), dtype).reshape(1);
            Tensor b = Tensor.scalar(Double.parseDouble(r[2]), dtype).reshape(1);
            if (!dtype.isFloatingPoint()) {
                a = Tensor.scalar(Long.parseLong(r[1]), dtype).reshape(1);
                b = Tensor.scalar(Long.parseLong(r[2]), dtype).reshape(1);
            }
            Tensor q = a.floorDivide(b);
            Tensor m = a.remainder(b);
            assertEquals(dtype, q.dtype(), lines[i]);
            assertEquals(dtype, m.dtype(), lines[i]);
            if (dtype.isFloatingPoint()) {
                assertEquals(Double.doubleToLongBits(Double.parseDouble(r[3])), Double.doubleToLongBits(q.item()),
                        "floorDivide " + lines[i]);
                assertEquals(Double.doubleToLongBits(Double.parseDouble(r[4])), Double.doubleToLongBits(m.item()),
                        "remainder " + lines[i]);
            } else {
                assertEquals(Long.parseLong(r[3]), q.itemLong(), "floorDivide " + lines[i]);
                assertEquals(Long.parseLong(r[4]), m.itemLong(), "remainder " + lines[i]);
            }
        }
    }

    @Test
    void integerDivisionByZeroIsRefusedLikePyTorch() {
        Tensor a = Tensor.of(new long[] {1, 2, 3});
        for (Runnable r : new Runnable[] {
            () -> a.floorDivide(Tensor.of(new long[] {1, 0, 1})),
            () -> a.remainder(0L),
            () -> Tensor.of(new byte[] {1}).floorDivide(Tensor.of(new int[] {0}))}) {
            String m = assertThrows(IllegalArgumentException.class, r::run).getMessage();
            assertTrue(m.contains("integer division by zero") && m.contains("ZeroDivisionError"), m);
        }
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 2, 3},
                a.div(Tensor.of(new long[] {0, 1, 1})).toFloatArray(), "true division gives inf, as in PyTorch");
    }

    @Test
    void floorDivideRecordsNothingAndRemainderIsDifferentiable() {
        Tensor x = Tensor.of(new double[] {7, -7}).requiresGrad(true);
        Tensor d = Tensor.of(new double[] {2, 2}).requiresGrad(true);
        assertNull(x.floorDivide(d).gradFnName());
        x.remainder(d).sum().backward();
        assertArrayEquals(new double[] {1, 1}, x.grad().toDoubleArray());
        assertArrayEquals(new double[] {-3, 4}, d.grad().toDoubleArray());
        assertEquals(DType.INT32, Tensor.of(new int[] {7}).floorDivide(2).dtype());
        assertEquals(3, Tensor.of(new int[] {7}).floorDivide(2).itemLong());
    }
}
