package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertClose;
import static org.grad4j.nn.TestTensors.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Inverted dropout: train/eval behaviour, scaling, drop rate, gradient, reproducibility, validation. */
class DropoutTest {

    @Test
    void evalModeAndZeroProbabilityReturnTheInputItself() {
        Tensor x = Tensor.ones(10);
        Dropout drop = new Dropout(0.5, new SplittableRandom(1));
        drop.eval();
        assertSame(x, drop.forward(x));
        assertSame(x, new Dropout(0).forward(x));
        assertEquals("Dropout(p=0.5)", drop.toString());
    }

    @Test
    void trainingZeroesAboutPAndScalesTheRest() {
        double p = 0.3;
        int n = 20_000;
        Tensor x = Tensor.ones(n);
        Tensor y = new Dropout(p, new SplittableRandom(11)).forward(x);
        float scale = (float) (1 / (1 - p));
        int zeros = 0;
        double sum = 0;
        for (float v : y.toFloatArray()) {
            assertTrue(v == 0 || v == scale, "values are 0 or 1/(1-p), got " + v);
            if (v == 0) zeros++;
            sum += v;
        }
        // binomial: sd of the drop fraction is sqrt(p(1-p)/n) = 0.0032; allow 5 sd
        assertEquals(p, zeros / (double) n, 0.016);
        assertEquals(1.0, sum / n, 0.025, "inverted dropout keeps the expected value");
    }

    @Test
    void gradientIsTheSameMaskAndScale() {
        Tensor x = TestTensors.leaf(3, 6, 7);
        Tensor y = Activations.dropout(x, 0.4, true, new SplittableRandom(9));
        y.sum().backward();
        double[] xv = x.toDoubleArray();
        double[] yv = y.toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            assertEquals(yv[i] / xv[i], g[i], 1e-12);
        }
    }

    @Test
    void masksAreReproducibleFromASeedAndChangeBetweenCalls() {
        Tensor x = Tensor.ones(DType.FLOAT64, 200);
        Dropout a = new Dropout(0.5, new SplittableRandom(4));
        Dropout b = new Dropout(0.5, new SplittableRandom(4));
        long[] first = bits(a.forward(x));
        assertArrayEquals(first, bits(b.forward(x)));
        assertFalse(Arrays.equals(first, bits(a.forward(x))), "a new mask on each call");
        Init.manualSeed(5);
        long[] c = bits(new Dropout(0.5).forward(x));
        Init.manualSeed(5);
        assertArrayEquals(c, bits(new Dropout(0.5).forward(x)));
    }

    @Test
    void sequentialEvalTurnsDropoutOff() {
        Sequential model = new Sequential(new Dropout(0.9, new SplittableRandom(1)), new Identity());
        Tensor x = Tensor.ones(50);
        model.eval();
        assertClose(x.toDoubleArray(), model.forward(x), 0);
        model.train();
        assertTrue(Arrays.stream(model.forward(x).toDoubleArray()).anyMatch(v -> v == 0));
    }

    @Test
    void probabilityMustBeInZeroOne() {
        for (double p : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(p));
            assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Activations.dropout(Tensor.ones(1), 1, true, new SplittableRandom(1)));
    }

    @Test
    void worksOnScalarsAndKeepsTheDtype() {
        Tensor y = Activations.dropout(Tensor.scalar(2, DType.FLOAT64), 0.5, true, new SplittableRandom(2));
        assertEquals(0, y.dim());
        assertTrue(y.item() == 0 || y.item() == 4);
        assertEquals(DType.FLOAT32, Activations.dropout(Tensor.ones(3), 0.5, true, new SplittableRandom(2)).dtype());
    }
}
