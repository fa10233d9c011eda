package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sizes that overflow {@code int} or {@code long} are refused with the shape and the limit; views never read past
 * their storage; empty dims give PyTorch's empty answers; printing reads only the elements it shows; gradients are
 * 0 where PyTorch's are (std of constants), and a graph that saved nothing may be walked twice.
 */
class EdgeCasesTest {

    @Test
    void elementCountsThatOverflowAreRefusedNotWrapped() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> Tensor.ones(65536, 65536, 65536, 65536));
        assertTrue(e.getMessage().contains("[65536, 65536, 65536, 65536] has 18446744073709551616 elements")
                && e.getMessage().contains("at most 2147483639"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Tensor.ones(1).expand(65536, 65536, 65536, 65536));
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(46341, 46341));   // 2147488281 > limit
        assertEquals(0, Tensor.zeros(65536, 65536, 65536, 0).numel(), "a zero dim anywhere: no elements");
        assertEquals(0, Tensor.zeros(0, Integer.MAX_VALUE).numel());
    }

    @Test
    void viewBoundsAreCheckedWithoutWrapping() {
        Tensor x = Tensor.arange(20);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> x.narrow(0, 10, Integer.MAX_VALUE - 8));
        assertTrue(e.getMessage().startsWith("narrow: start 10 and length 2147483639 do not fit"), e.getMessage());
        assertArrayEquals(new int[] {1}, x.slice(0, 0, 5, Integer.MAX_VALUE - 2).shape());
        assertArrayEquals(new long[] {0}, x.slice(0, 0, 5, Integer.MAX_VALUE - 2).toLongArray());
        assertArrayEquals(new int[] {10}, x.slice(0, 10, Integer.MAX_VALUE).shape());
        List<Tensor> pieces = x.split(Integer.MAX_VALUE - 1, 0);
        assertEquals(1, pieces.size());
        assertEquals(20, pieces.get(0).numel());
        assertEquals(2, x.split(15, 0).size());
        ShapeMismatchException sizes = assertThrows(ShapeMismatchException.class,
                () -> x.split(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 4}, 0));
        assertTrue(sizes.getMessage().startsWith("split: sizes"), sizes.getMessage());
    }

    @Test
    void emptyDimsGivePyTorchsAnswers() {
        List<Tensor> pieces = Tensor.zeros(0, 3).split(2, 0);
        assertEquals(1, pieces.size(), "one empty piece, as PyTorch");
        assertArrayEquals(new int[] {0, 3}, pieces.get(0).shape());
        Tensor empty = Tensor.zeros(DType.FLOAT64, 2, 0).requiresGrad(true);
        assertArrayEquals(new int[] {2, 0}, empty.softmax(1).shape());
        assertArrayEquals(new int[] {2, 0}, empty.logSoftmax(1).shape());
        Tensor lse = empty.logSumExp(1, false);
        assertArrayEquals(new int[] {2}, lse.shape());
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, lse.toDoubleArray());
        assertArrayEquals(new int[] {2, 1}, empty.logSumExp(1, true).shape());
        empty.softmax(1).sum().backward();
        assertArrayEquals(new int[] {2, 0}, empty.grad().shape());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(Double.NaN, 5, 1, DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, Double.NaN, 1, DType.FLOAT32));
    }

    @Test
    void printingEmptyAndHugeTensorsReadsOnlyWhatItShows() {
        assertEquals("tensor([], size=(1000000, 0))", Tensor.zeros(1_000_000, 0).toString());
        assertEquals("tensor([])", Tensor.zeros(0).toString());
        assertEquals("tensor([], size=(0, 3), dtype=float64)", Tensor.zeros(DType.FLOAT64, 0, 3).toString());
        Tensor big = Tensor.arange(0, 30_000_000, 1, DType.FLOAT32).reshape(3000, 10000);
        String s = big.toString();
        assertTrue(s.length() < 1000, s);
        // PyTorch 1.13's text (print_formatter_reference.py), plus the shape grad4j adds to a summary
        assertTrue(s.startsWith("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9970e+03, 9.9980e+03,\n"
                + "         9.9990e+03],\n"
                + "        [1.0000e+04, 1.0001e+04, 1.0002e+04,  ..., 1.9997e+04, 1.9998e+04,\n"), s);
        assertTrue(s.contains("\n        ...,\n"), s);
        assertTrue(s.contains("[2.9990e+07, 2.9990e+07, 2.9990e+07,  ..., 3.0000e+07, 3.0000e+07,\n"
                + "         3.0000e+07]]"), s);
        assertTrue(s.endsWith(", shape=[3000, 10000])"), s);
        // a summary shows the same edges the full formatter would: compare with a small tensor's text
        Tensor medium = Tensor.arange(0, 2000, 1, DType.FLOAT32).reshape(40, 50);
        String m = medium.toString();
        assertTrue(m.startsWith("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n"
                + "         4.9000e+01],\n"
                + "        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n"), m);
        assertTrue(m.contains("[1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n"
                + "         1.9990e+03]]"), m);
    }

    @Test
    void aSecondBackwardThroughAGraphThatSavedNothingIsAllowedAsInPyTorch() {
        Tensor x = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Tensor y = x.add(2).neg().reshape(2, 1).sum();   // add, neg, reshape and sum save no tensors
        y.backward();
        y.backward();
        assertArrayEquals(new double[] {-2, -2}, x.grad().toDoubleArray(), 0.0, "gradients accumulate");
        Tensor z = x.mul(x).sum();                       // mul saves its inputs: freed by the first backward
        z.backward();
        AutogradException e = assertThrows(AutogradException.class, z::backward);
        assertTrue(e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void theStdOfConstantValuesHasGradientZeroNotNan() {
        Tensor x = Tensor.of(new double[] {2, 2, 2}).requiresGrad(true);
        Tensor s = x.std();
        assertEquals(0.0, s.item(), 0.0);
        s.backward();
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray(), 0.0);
        Tensor y = Tensor.of(new double[] {1, 2, 6}).requiresGrad(true);
        y.std().backward();
        // d std / dx_i = (x_i - mean) / ((n - 1) std), mean 3, std sqrt(7)
        double std = Math.sqrt(7);
        assertArrayEquals(new double[] {-2 / (2 * std), -1 / (2 * std), 3 / (2 * std)}, y.grad().toDoubleArray(),
                1e-15);
        Tensor rows = Tensor.of(new double[] {5, 5, 1, 3}, 2, 2).requiresGrad(true);
        rows.std(new int[] {1}, 1, false).sum().backward();
        assertArrayEquals(new double[] {0, 0, -Math.sqrt(0.5), Math.sqrt(0.5)}, rows.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void reluAndAbsGradientsCarryAGraphSoSecondDerivativesAreZerosAsInPyTorch() {
        Tensor x = Tensor.of(new double[] {1.5, -2, 0}).requiresGrad(true);
        Tensor g = Autograd.grad(x.relu().sum(), x, true);
        assertArrayEquals(new double[] {1, 0, 0}, g.toDoubleArray(), 0.0);
        assertTrue(g.requiresGrad());
        assertArrayEquals(new double[3], Autograd.grad(g.sum(), x, false).toDoubleArray(), 0.0);
        Tensor ga = Autograd.grad(x.abs().sum(), x, true);
        assertArrayEquals(new double[] {1, -1, 0}, ga.toDoubleArray(), 0.0);
        assertArrayEquals(new double[3], Autograd.grad(ga.sum(), x, false).toDoubleArray(), 0.0);
        // d/dx sum(relu'(x) x^2) = 2 x relu'(x): the first gradient takes part in a larger expression
        Tensor h = Autograd.grad(x.relu().sum(), x, true).mul(x.square()).sum();
        assertArrayEquals(new double[] {3, 0, 0}, Autograd.grad(h, x, false).toDoubleArray(), 0.0);
        // without createGraph nothing extra is recorded
        assertTrue(!Autograd.grad(x.abs().sum(), x, false).requiresGrad());
    }
}
