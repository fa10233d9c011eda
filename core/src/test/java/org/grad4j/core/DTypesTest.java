package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Integer and bool tensors: creation, read-out, printing, promotion through ops and gradients, and their errors. */
class DTypesTest {

    private static String message(Class<? extends Throwable> type, Runnable r) {
        return assertThrows(type, r::run).getMessage();
    }

    @Test
    void creationAndReadOutKeepEveryDtypeExact() {
        Tensor big = Tensor.of(new long[] {Long.MAX_VALUE, -3, (1L << 53) + 1}, 3);
        assertEquals(DType.INT64, big.dtype());
        assertArrayEquals(new long[] {Long.MAX_VALUE, -3, (1L << 53) + 1}, big.toLongArray());
        assertEquals((1L << 53) + 1, big.getLong(2));
        assertEquals(DType.INT32, Tensor.of(new int[] {1, 2, 3, 4}, 2, 2).dtype());
        assertArrayEquals(new int[] {1, 2, 3, 4}, Tensor.of(new int[] {1, 2, 3, 4}, 2, 2).toIntArray());
        Tensor bytes = Tensor.of(new byte[] {(byte) 200, 7});
        assertEquals(DType.UINT8, bytes.dtype());
        assertEquals(200, bytes.get(0));
        assertArrayEquals(new long[] {200, 7}, bytes.toLongArray());
        Tensor mask = Tensor.of(new boolean[] {true, false, true});
        assertArrayEquals(new boolean[] {true, false, true}, mask.toBooleanArray());
        assertTrue(mask.getBoolean(0));
        assertEquals(0, Tensor.ofShape(new long[] {5}, new int[0]).dim());
        assertEquals(5, Tensor.ofShape(new long[] {5}, new int[0]).itemLong());
        assertTrue(Tensor.scalar(1L, DType.BOOL).itemBoolean());
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensor.arange(4).toLongArray());
        assertEquals(DType.INT64, Tensor.arange(4).dtype());
        assertArrayEquals(new long[] {10, 7, 4}, Tensor.arange(10, 2, -3, DType.INT64).toLongArray());
        assertArrayEquals(new long[] {Long.MAX_VALUE, Long.MAX_VALUE},
                Tensor.full(Long.MAX_VALUE, DType.INT64, 2).toLongArray());
        assertArrayEquals(new int[] {0, 0, 0}, Tensor.zeros(DType.INT32, 3).toIntArray());
        assertArrayEquals(new boolean[] {true, true}, Tensor.ones(DType.BOOL, 2).toBooleanArray());
        Tensor t = Tensor.zeros(DType.INT64, 2);
        t.set(Long.MIN_VALUE, 1);
        assertEquals(Long.MIN_VALUE, t.getLong(1));
    }

    @Test
    void conversionsFollowPyTorch() {
        Tensor x = Tensor.of(new float[] {-1.7f, -0.5f, 0f, 2.9f, 300f, Float.NaN});
        assertArrayEquals(new long[] {-1, 0, 0, 2, 300, 0}, x.to(DType.INT64).toLongArray(), "truncation toward 0");
        assertArrayEquals(new boolean[] {true, true, false, true, true, true}, x.to(DType.BOOL).toBooleanArray());
        assertArrayEquals(new long[] {255, 0, 0, 2, 44}, x.narrow(0, 0, 5).to(DType.UINT8).toLongArray(),
                "uint8 keeps the low 8 bits");
        assertArrayEquals(new int[] {-2147483648, -1},
                Tensor.of(new long[] {1L << 31, (1L << 32) - 1}).to(DType.INT32).toIntArray(), "int64 -> int32 wraps");
        Tensor strided = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, strided.to(DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new long[] {1, 4, 2, 5, 3, 6}, strided.contiguous().toLongArray());
    }

    @Test
    void printingFollowsPyTorch() {
        assertEquals("tensor([1, 2])", Tensor.of(new long[] {1, 2}).toString());
        assertEquals("tensor([  1, 200], dtype=int32)", Tensor.of(new int[] {1, 200}).toString());
        assertEquals("tensor([ True, False])", Tensor.of(new boolean[] {true, false}).toString());
        assertEquals("tensor([[ True],\n        [False]])", Tensor.of(new boolean[] {true, false}, 2, 1).toString());
        assertEquals("tensor([3], dtype=uint8)", Tensor.of(new byte[] {3}).toString());
        assertEquals("tensor(5)", Tensor.scalar(5L, DType.INT64).toString());
        assertEquals("tensor([], dtype=int64)", Tensor.zeros(DType.INT64, 0).toString());
        assertEquals("tensor([], dtype=bool)", Tensor.zeros(DType.BOOL, 0).toString());
        assertEquals("tensor([           -1, 1000000000000])", Tensor.of(new long[] {-1, 1_000_000_000_000L}).toString());
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999], shape=[2000])", Tensor.arange(2000).toString());
    }

    @Test
    void promotionFollowsResultType() {
        Tensor f32 = Tensor.ones(2);
        Tensor f64 = Tensor.ones(DType.FLOAT64, 2);
        Tensor i64 = Tensor.ones(DType.INT64, 2);
        Tensor i32 = Tensor.ones(DType.INT32, 2);
        Tensor u8 = Tensor.ones(DType.UINT8, 2);
        Tensor b = Tensor.ones(DType.BOOL, 2);
        assertEquals(DType.FLOAT64, f32.add(f64).dtype());
        assertEquals(DType.FLOAT32, i64.add(f32).dtype());
        assertEquals(DType.INT64, i32.add(i64).dtype());
        assertEquals(DType.INT32, u8.add(i32).dtype());
        assertEquals(DType.UINT8, b.add(u8).dtype());
        assertEquals(DType.BOOL, b.mul(b).dtype());
        assertEquals(DType.FLOAT32, i64.div(i64).dtype(), "integer true division gives float32");
        assertEquals(DType.FLOAT32, i32.mul(2.5).dtype(), "a double scalar gives the default float dtype");
        assertEquals(DType.INT32, i32.mul(2).dtype(), "a long scalar keeps the integer dtype");
        assertEquals(DType.INT64, b.add(1).dtype());
        assertEquals(DType.FLOAT64, f64.mul(2.0).dtype());
        assertEquals(DType.FLOAT32, f32.add(Tensor.scalar(1, DType.FLOAT64)).dtype(), "0-d does not widen within a category");
        assertEquals(DType.FLOAT32, i64.add(Tensor.scalar(1, DType.FLOAT32)).dtype(), "0-d of a higher category does");
        assertEquals(DType.FLOAT32, i64.exp().dtype());
        assertEquals(DType.INT64, i32.sum().dtype(), "integer sums give int64");
        assertEquals(DType.INT64, b.sum().dtype());
        assertEquals(DType.BOOL, f32.gt(i64).dtype());
        assertEquals(DType.FLOAT64, Tensor.concat(0, f32, f64).dtype());
    }

    @Test
    void integerArithmeticWrapsAsPyTorch() {
        Tensor max = Tensor.of(new long[] {Long.MAX_VALUE});
        assertEquals(Long.MIN_VALUE, max.add(1).itemLong());
        assertEquals(Integer.MIN_VALUE, Tensor.of(new int[] {Integer.MAX_VALUE}).add(1).itemLong());
        assertEquals(4, Tensor.of(new byte[] {(byte) 250}).add(10).itemLong());
        assertEquals(255, Tensor.of(new byte[] {0}).sub(1).itemLong());
        assertEquals(Long.MIN_VALUE, Tensor.of(new long[] {Long.MIN_VALUE}).neg().itemLong());
        assertEquals(-2, Tensor.of(new long[] {Long.MAX_VALUE, Long.MAX_VALUE}).sum().itemLong(), "sums wrap too");
        assertEquals(1024, Tensor.of(new long[] {2}).pow(Tensor.of(new long[] {10})).itemLong());
        assertEquals(DType.INT32, Tensor.of(new int[] {3}).pow(2).dtype(), "x ** 2 keeps integers integral");
        assertEquals(9, Tensor.of(new int[] {3}).pow(2).itemLong());
        assertEquals(DType.FLOAT32, Tensor.of(new int[] {3}).pow(2.0).dtype());
        assertEquals(DType.FLOAT64, Tensor.ones(DType.FLOAT64, 1).pow(2).dtype());
        assertEquals(DType.INT64, Tensor.of(new long[] {2}).pow(Tensor.of(new long[] {10})).dtype());
        String m = message(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {2}).pow(Tensor.of(new long[] {-1})));
        assertTrue(m.contains("negative integer powers"), m);
        Tensor q = Tensor.of(new long[] {1, -1, 0}).div(Tensor.of(new long[] {0, 0, 0}));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}, q.toFloatArray(),
                "integer true division by zero is float inf / nan, as in PyTorch");
    }

    @Test
    void masksAndLogicalOps() {
        Tensor x = Tensor.of(new float[] {-1, 2, 0, 5});
        Tensor pos = x.gt(0);
        assertEquals(DType.BOOL, pos.dtype());
        assertArrayEquals(new boolean[] {false, true, false, true}, pos.toBooleanArray());
        assertArrayEquals(new float[] {-1, 9, 0, 9}, x.maskedFill(pos, 9).toFloatArray());
        assertArrayEquals(new float[] {2, 5}, x.maskedSelect(pos).toFloatArray());
        Tensor a = Tensor.of(new boolean[] {true, true, false, false});
        Tensor b = Tensor.of(new boolean[] {true, false, true, false});
        assertArrayEquals(new boolean[] {true, false, false, false}, a.logicalAnd(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true, false}, a.logicalOr(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, false}, a.logicalXor(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true}, a.logicalNot().toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false, true}, x.logicalAnd(Tensor.ones(4)).toBooleanArray());
        assertTrue(a.any().itemBoolean());
        assertFalse(a.all().itemBoolean());
        assertFalse(Tensor.zeros(DType.BOOL, 0).any().itemBoolean());
        assertTrue(Tensor.zeros(DType.BOOL, 0).all().itemBoolean());
        assertArrayEquals(new boolean[] {true, false}, a.reshape(2, 2).all(1, false).toBooleanArray());
        assertArrayEquals(new float[] {-1, 2, 0, 5}, Tensor.where(pos, x, x).toFloatArray());
        String m = message(DTypeMismatchException.class, () -> Tensor.where(x, x, x));
        assertTrue(m.contains("where: the condition must be a bool tensor, got float32"), m);
        m = message(DTypeMismatchException.class, () -> x.maskedFill(x, 0));
        assertTrue(m.contains("maskedFill: the mask must be a bool tensor"), m);
        assertTrue(message(DTypeMismatchException.class, () -> a.sub(b)).contains("logicalNot"));
        assertTrue(message(DTypeMismatchException.class, () -> a.rsub(1)).startsWith("sub: subtraction with a bool"));
        assertTrue(message(DTypeMismatchException.class, () -> Tensor.ones(DType.INT64, 4).sub(a)).contains("bool"));
    }

    @Test
    void maskedOpsAreDifferentiable() {
        Tensor x = Tensor.of(new double[] {-1, 2, 0, 5}).requiresGrad(true);
        Tensor mask = Tensor.of(new boolean[] {true, false, false, true});
        x.maskedSelect(mask).mul(Tensor.of(new double[] {3, 4})).sum().add(x.maskedFill(mask, 7).sum()).backward();
        assertArrayEquals(new double[] {3, 1, 1, 4}, x.grad().toDoubleArray());
    }

    @Test
    void argmaxIsInt64() {
        Tensor x = Tensor.of(new float[] {1, 5, 5, -2, 0, 9}, 2, 3);
        assertEquals(DType.INT64, x.argmax().dtype());
        assertEquals(5, x.argmax().itemLong());
        assertArrayEquals(new long[] {1, 2}, x.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {0, 0}, x.argmin(1, false).toLongArray());
        assertArrayEquals(new long[] {3}, Tensor.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE - 1, Long.MAX_VALUE})
                .argmax(0, true).toLongArray(), "integers compare exactly, beyond 2^53");
    }

    /** A 2^24 + 2 element uint8 tensor (16 MB) whose largest element is last: float32 indices would round it. */
    @Test
    void argmaxIsExactBeyondTwoToThe24() {
        int n = (1 << 24) + 2;
        byte[] values = new byte[n];
        values[n - 1] = 1;
        Tensor x = Tensor.of(values);
        assertEquals(n - 1, x.argmax().itemLong());
        assertEquals(n - 1, x.argmax(0, false).itemLong());
        assertEquals(16_777_217L, x.argmax().itemLong());
    }

    @Test
    void integerTensorsCannotRequireGrad() {
        for (DType d : new DType[] {DType.INT64, DType.INT32, DType.UINT8, DType.BOOL}) {
            String m = message(AutogradException.class, () -> Tensor.zeros(d, 2).requiresGrad(true));
            assertTrue(m.contains("floating-point") && m.contains(d.toString()) && m.contains(".to(DType.FLOAT32)"), m);
        }
        Tensor w = Tensor.ones(3).requiresGrad(true);
        assertNull(w.gt(0).gradFnName(), "masks record nothing");
        assertNull(w.to(DType.INT64).gradFnName());
        assertFalse(w.argmax().requiresGrad());
    }

    @Test
    void gradientsThroughPromotionArriveInTheLeafsDtype() {
        Tensor w = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Tensor v = Tensor.of(new double[] {0.1, 0.2}).requiresGrad(true);
        Tensor y = w.mul(v).add(w.mul(Tensor.of(new long[] {3, 4})));
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertArrayEquals(new float[] {3.1f, 4.2f}, w.grad().toFloatArray(), 1e-7f);
        assertEquals(DType.FLOAT64, v.grad().dtype());
        assertArrayEquals(new double[] {1, 2}, v.grad().toDoubleArray());
    }

    @Test
    void floatIndicesAreRefusedWithTheFix() {
        Tensor x = Tensor.ones(2, 3);
        for (String m : new String[] {
            message(DTypeMismatchException.class, () -> x.gather(1, Tensor.zeros(2, 1))),
            message(DTypeMismatchException.class, () -> x.indexSelect(0, Tensor.zeros(1))),
            message(DTypeMismatchException.class, () -> Tensor.oneHot(Tensor.zeros(2), 3)),
            message(DTypeMismatchException.class, () -> x.scatterAdd(1, Tensor.zeros(2, 1), x)),
            message(DTypeMismatchException.class, () -> x.indexAdd(0, Tensor.zeros(2), x))}) {
            assertTrue(m.contains("indices must be int64 or int32, got a float32") && m.contains(".to(DType.INT64)"), m);
        }
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1},
                x.gather(1, Tensor.of(new int[] {0, 2, 1, 1, 0, 2}, 2, 3)).toFloatArray(), "int32 indices work");
    }

    @Test
    void scatterScatterAddAndIndexAdd() {
        Tensor base = Tensor.zeros(DType.FLOAT64, 2, 3).requiresGrad(true);
        Tensor src = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor index = Tensor.of(new long[] {2, 0, 1, 1}, 2, 2);
        assertArrayEquals(new double[] {2, 0, 1, 0, 7, 0}, base.scatterAdd(1, index, src).toDoubleArray());
        Tensor placed = base.add(5).scatter(1, index, src);
        double[] p = placed.toDoubleArray();
        assertEquals(2, p[0]);
        assertEquals(5, p[1]);
        assertEquals(1, p[2]);
        assertTrue(p[4] == 3 || p[4] == 4, "a repeated index takes one of the values");
        placed.mul(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertArrayEquals(new double[] {0, 2, 0, 4, 0, 6}, base.grad().toDoubleArray(), "overwritten positions get 0");
        assertArrayEquals(new double[] {3, 1, 5, 5}, src.grad().toDoubleArray(), "src gets gather of the gradient");
        Tensor added = Tensor.zeros(3, 2).indexAdd(0, Tensor.of(new long[] {2, 0, 2}),
                Tensor.of(new float[] {1, 1, 2, 2, 3, 3}, 3, 2));
        assertArrayEquals(new float[] {2, 2, 0, 0, 4, 4}, added.toFloatArray());
        assertEquals(DType.INT64, Tensor.oneHot(Tensor.of(new int[] {0, 1}), 3).dtype());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 0}, Tensor.oneHot(Tensor.of(new int[] {0, 1}), 3).toLongArray());
    }

    @Test
    void inPlaceOpsKeepTheirDtypeOrExplain() {
        Tensor counts = Tensor.zeros(DType.INT64, 2);
        counts.addInPlace(Tensor.of(new int[] {3, 4}));
        assertArrayEquals(new long[] {3, 4}, counts.toLongArray());
        String m = message(DTypeMismatchException.class, () -> counts.addInPlace(Tensor.ones(2)));
        assertTrue(m.contains("float32") && m.contains("int64"), m);
        assertThrows(DTypeMismatchException.class, () -> counts.divInPlace(Tensor.of(new long[] {2, 2})));
        Tensor f = Tensor.ones(2);
        f.addInPlace(Tensor.of(new double[] {0.5, 0.25}));
        assertArrayEquals(new float[] {1.5f, 1.25f}, f.toFloatArray());
        assertEquals(DType.FLOAT32, f.dtype());
        f.copyFrom(Tensor.of(new long[] {7, 8}));
        assertArrayEquals(new float[] {7, 8}, f.toFloatArray());
        assertThrows(DTypeMismatchException.class, () -> Tensor.zeros(DType.INT32, 2).sqrtInPlace());
    }

    @Test
    void opsThatNeedFloatsSayHow() {
        Tensor i = Tensor.ones(DType.INT64, 2, 2);
        assertTrue(message(DTypeMismatchException.class, () -> i.mean()).contains(".to(DType.FLOAT32)"));
        assertTrue(message(DTypeMismatchException.class, () -> i.std(new int[] {0}, 1, false)).startsWith("var:"));
        assertTrue(message(DTypeMismatchException.class, () -> i.matmul(i)).contains(".to(DType.FLOAT32)"));
        assertTrue(message(DTypeMismatchException.class, () -> Tensor.rand(new java.util.SplittableRandom(1),
                DType.INT64, 2)).contains("FLOAT32"));
        assertEquals(2, i.sum(0).toLongArray()[0]);
        assertEquals(1, i.amax(new int[] {0}, false).toLongArray()[0]);
        assertEquals(DType.INT64, i.amax(new int[] {0}, false).dtype());
    }
}
