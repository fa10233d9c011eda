package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertClose;
import static org.grad4j.nn.TestTensors.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Linear (and Dense), Flatten, Identity and Sequential: values, shapes, initialisation, errors. */
class LayersTest {

    @Test
    void linearComputesXWTransposePlusB() {
        Linear layer = new Linear(3, 2, true, DType.FLOAT64, new SplittableRandom(1));
        double[][] x = {{1, 2, 3}, {-1, 0.5, 0}, {0, 0, 2}, {4, -3, 1}};
        double[] w = layer.weight().toDoubleArray();
        double[] b = layer.bias().toDoubleArray();
        double[] expected = new double[4 * 2];
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 2; o++) {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += x[n][i] * w[o * 3 + i];
                expected[n * 2 + o] = s;
            }
        }
        Tensor y = layer.forward(Tensor.of(x));
        assertArrayEquals(new int[] {4, 2}, y.shape());
        assertClose(expected, y, 1e-15);
        // leading dims and a single vector
        assertArrayEquals(new int[] {2, 2, 2}, layer.forward(Tensor.of(x).reshape(2, 2, 3)).shape());
        assertClose(Arrays.copyOfRange(expected, 0, 2), layer.forward(Tensor.of(x[0].clone())), 1e-15);
        assertArrayEquals(new int[] {2}, layer.forward(Tensor.of(x[0].clone())).shape());
    }

    @Test
    void linearWithoutBias() {
        Linear layer = new Linear(3, 2, false, DType.FLOAT32, new SplittableRandom(1));
        assertNull(layer.bias());
        assertEquals(List.of("weight"), List.copyOf(layer.namedParameters().keySet()));
        assertClose(new double[] {0, 0}, layer.forward(Tensor.zeros(3)), 0);
        assertEquals("Linear(inFeatures=3, outFeatures=2, bias=false)  weight [2, 3]  (6 params)", layer.toString());
    }

    @Test
    void linearInitialisationIsPytorchsUniformBound() {
        int in = 16;
        double bound = 1 / Math.sqrt(in);
        Linear layer = new Linear(in, 64, true, DType.FLOAT64, new SplittableRandom(3));
        assertArrayEquals(new int[] {64, 16}, layer.weight().shape());
        assertArrayEquals(new int[] {64}, layer.bias().shape());
        for (Tensor t : List.of(layer.weight(), layer.bias())) {
            double max = 0;
            double sum = 0;
            for (double v : t.toDoubleArray()) {
                assertTrue(Math.abs(v) <= bound, v + " outside +-" + bound);
                max = Math.max(max, Math.abs(v));
                sum += v;
            }
            assertTrue(max > 0.85 * bound, "values should fill the range, max |v| = " + max);
            assertTrue(Math.abs(sum / t.numel()) < 0.3 * bound, "mean near 0: " + sum / t.numel());
        }
        double var = 0;
        for (double v : layer.weight().toDoubleArray()) var += v * v;
        var /= layer.weight().numel();
        assertEquals(bound * bound / 3, var, 0.15 * bound * bound / 3, "variance of U(-b, b) is b^2/3");
        assertTrue(layer.weight().requiresGrad() && layer.bias().requiresGrad());
        assertTrue(layer.weight().isLeaf());
    }

    @Test
    void linearInitialisationIsReproducibleFromASeed() {
        Linear a = new Linear(5, 4, true, DType.FLOAT32, new SplittableRandom(42));
        Linear b = new Linear(5, 4, true, DType.FLOAT32, new SplittableRandom(42));
        Linear c = new Linear(5, 4, true, DType.FLOAT32, new SplittableRandom(43));
        assertArrayEquals(bits(a.weight()), bits(b.weight()));
        assertArrayEquals(bits(a.bias()), bits(b.bias()));
        assertFalse(Arrays.equals(bits(a.weight()), bits(c.weight())));
        Init.manualSeed(7);
        Linear d = new Linear(5, 4);
        Init.manualSeed(7);
        Linear e = new Linear(5, 4);
        assertArrayEquals(bits(d.weight()), bits(e.weight()));
        assertEquals(DType.FLOAT32, d.weight().dtype());
    }

    @Test
    void denseIsLinearUnderAnotherName() {
        Dense dense = new Dense(3, 2, true, DType.FLOAT32, new SplittableRandom(5));
        Linear linear = new Linear(3, 2, true, DType.FLOAT32, new SplittableRandom(5));
        assertTrue(dense instanceof Linear);
        assertArrayEquals(bits(linear.weight()), bits(dense.weight()));
        assertTrue(dense.toString().startsWith("Dense(inFeatures=3, outFeatures=2, bias=true)"), dense.toString());
        assertEquals(List.of("weight", "bias"), List.copyOf(dense.namedParameters().keySet()));
    }

    @Test
    void linearExplainsBadInputs() {
        Linear layer = new Linear(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("last dim is 3") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.zeros(DType.FLOAT64, 4, 3)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("FLOAT32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.forward(Tensor.scalar(1)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 2));
    }

    @Test
    void flattenFollowsPytorchDims() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {6, 4, 5}, new Flatten(0, 1).forward(x).shape());
        assertArrayEquals(new int[] {2, 3, 20}, new Flatten(-2, -1).forward(x).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(x).shape());
        assertEquals("Flatten(startDim=1, endDim=-1)", new Flatten().toString());
    }

    @Test
    void identityPassesThrough() {
        Tensor x = Tensor.ones(3);
        assertSame(x, new Identity().forward(x));
        assertEquals("Identity()", new Identity().toString());
    }

    @Test
    void sequentialChainsIndexesAndNames() {
        Linear first = new Linear(2, 3, true, DType.FLOAT64, new SplittableRandom(1));
        Tanh act = new Tanh();
        Linear last = new Linear(3, 1, true, DType.FLOAT64, new SplittableRandom(2));
        Sequential seq = new Sequential(first, act, last);
        assertEquals(3, seq.size());
        assertSame(first, seq.get(0));
        assertSame(last, seq.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> seq.get(3));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(seq.namedParameters().keySet()));
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, -1}});
        assertClose(last.forward(first.forward(x).tanh()).toDoubleArray(), seq.forward(x), 0);
        List<Module> iterated = new ArrayList<>();
        seq.forEach(iterated::add);
        assertEquals(List.of(first, act, last), iterated);
        seq.add(new Sigmoid());
        assertEquals(List.of("0", "1", "2", "3"), List.copyOf(seq.namedChildren().keySet()));
        Sequential fromList = new Sequential(List.of(new Tanh(), new ReLU()));
        assertEquals(2, fromList.size());
        assertSame(x, new Sequential().forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Sequential(new Tanh()).add(null));
    }

    @Test
    void nestedSequentialNamesAreDotted() {
        Sequential model = new Sequential(new Sequential(new Linear(2, 2), new ReLU()), new Linear(2, 1));
        assertEquals(List.of("0.0.weight", "0.0.bias", "1.weight", "1.bias"),
                List.copyOf(model.namedParameters().keySet()));
    }
}
