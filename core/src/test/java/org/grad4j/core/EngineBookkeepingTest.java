package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine's bookkeeping at its edges: leaf counts equal to the capacity of its leaf arrays (4, 8, 16), random
 * graphs whose heap of waiting nodes is large and mixed in depth, leaves that receive several gradients while a
 * graph is being recorded, gradients of another dtype than their input, a weight's gradient buffer offered or
 * refused, gradients that hooks return and keep, and version bumps of buffers the engine writes into. Expected
 * values are naive double loops over the same graph or hand-derived.
 */
class EngineBookkeepingTest {

    private static Tensor leaf(double value) {
        return Tensor.scalar(value, DType.FLOAT64).requiresGrad(true);
    }

    private static Tensor leaf(long seed, DType dtype, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), dtype, shape).requiresGrad(true);
    }

    /** sum_i c_i * x_i^2 over n leaves (so d/dx_i = 2 c_i x_i), with or without a graph of the backward. */
    private static void squaresOfManyLeaves(int n, boolean createGraph) {
        List<Tensor> leaves = new ArrayList<>();
        Tensor loss = null;
        for (int i = 0; i < n; i++) {
            Tensor x = leaf(i + 1);
            leaves.add(x);
            Tensor term = x.mul(x).mul(i + 2);
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward(null, false, createGraph);
        for (int i = 0; i < n; i++) {
            Tensor g = leaves.get(i).grad();
            assertEquals(2.0 * (i + 2) * (i + 1), g.item(), 0.0, n + " leaves, leaf " + i);
            assertEquals(createGraph, g.requiresGrad(), "createGraph " + createGraph);
        }
        if (createGraph) {
            // The gradients carry their graph: d/dx_0 of (2 * 2 * x_0) is 4.
            assertEquals(4.0, Autograd.grad(leaves.get(0).grad(), leaves.get(0), false).item(), 0.0);
        }
    }

    @Test
    void leafCountsEqualToTheLeafArraysCapacityWithAndWithoutAGraph() {
        for (int n : new int[] {3, 4, 5, 8, 9, 16, 17, 32}) {
            squaresOfManyLeaves(n, false);
            squaresOfManyLeaves(n, true);
        }
    }

    /**
     * Random graphs of scalar nodes, each a weighted sum or product of up to three earlier nodes, so that many nodes
     * of different depths wait in the engine's heap at once; gradients against a naive reverse sweep in doubles.
     */
    @Test
    void randomGraphsGetTheGradientsOfANaiveReverseSweep() {
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            int leaves = 1 + rng.nextInt(6);
            int total = leaves + 10 + rng.nextInt(60);
            Tensor[] t = new Tensor[total];
            double[] value = new double[total];
            int[][] parents = new int[total][];
            double[][] weight = new double[total][];
            boolean[] product = new boolean[total];
            double[] scaleOf = new double[total];
            for (int i = 0; i < leaves; i++) {
                value[i] = 0.5 + rng.nextDouble();
                t[i] = leaf(value[i]);
            }
            for (int i = leaves; i < total; i++) {
                int k = 1 + rng.nextInt(3);
                parents[i] = new int[k];
                weight[i] = new double[k];
                // Mostly recent nodes, sometimes one far back: consumers at very different depths.
                for (int j = 0; j < k; j++) {
                    parents[i][j] = rng.nextInt(4) == 0 ? rng.nextInt(i) : Math.max(0, i - 1 - rng.nextInt(3));
                    weight[i][j] = (rng.nextInt(6) - 3 + 0.5) / 2;   // +-0.25, +-0.75, +-1.25
                }
                product[i] = k == 2 && rng.nextInt(3) == 0;
                if (product[i]) {
                    t[i] = t[parents[i][0]].mul(t[parents[i][1]]);
                    value[i] = value[parents[i][0]] * value[parents[i][1]];
                } else {
                    Tensor s = t[parents[i][0]].mul(weight[i][0]);
                    double v = value[parents[i][0]] * weight[i][0];
                    for (int j = 1; j < k; j++) {
                        s = s.add(t[parents[i][j]].mul(weight[i][j]));
                        v += value[parents[i][j]] * weight[i][j];
                    }
                    t[i] = s;
                    value[i] = v;
                }
                // Keep magnitudes near 1 so that the comparison is about gradients lost, not rounding.
                double scale = Math.abs(value[i]) > 4 ? 1 / Math.abs(value[i]) : 1;
                scaleOf[i] = scale;
                if (scale != 1) {
                    t[i] = t[i].mul(scale);
                    value[i] *= scale;
                    for (int j = 0; j < weight[i].length; j++) {
                        weight[i][j] *= scale;
                    }
                }
            }
            // The loss: the sum of the last few nodes, each a root of a different depth.
            int roots = Math.min(5, total - leaves);
            Tensor loss = t[total - 1];
            double[] adjoint = new double[total];
            double[] size = new double[total];   // the same sweep over absolute values: the rounding's scale
            adjoint[total - 1] = 1;
            size[total - 1] = 1;
            for (int r = 2; r <= roots; r++) {
                loss = loss.add(t[total - r]);
                adjoint[total - r] += 1;
                size[total - r] += 1;
            }
            loss.backward();
            for (int i = total - 1; i >= leaves; i--) {
                if (product[i]) {
                    double s = scaleOf[i];   // the scale (if any) multiplies the product's derivative too
                    adjoint[parents[i][0]] += adjoint[i] * value[parents[i][1]] * s;
                    adjoint[parents[i][1]] += adjoint[i] * value[parents[i][0]] * s;
                    size[parents[i][0]] += size[i] * Math.abs(value[parents[i][1]] * s);
                    size[parents[i][1]] += size[i] * Math.abs(value[parents[i][0]] * s);
                } else {
                    for (int j = 0; j < parents[i].length; j++) {
                        adjoint[parents[i][j]] += adjoint[i] * weight[i][j];
                        size[parents[i][j]] += size[i] * Math.abs(weight[i][j]);
                    }
                }
            }
            for (int i = 0; i < leaves; i++) {
                Tensor g = t[i].grad();
                double actual = g == null ? 0 : g.item();
                assertTrue(Double.isFinite(adjoint[i]), "seed " + seed);
                assertEquals(adjoint[i], actual, 1e-12 * (1 + size[i]), "seed " + seed + " leaf " + i);
            }
        }
    }

    @Test
    void aLeafReachedTwiceWhileRecordingGetsADifferentiableSum() {
        for (int[] shape : new int[][] {{}, {1}, {3}}) {
            Tensor x = Tensor.full(3.0, DType.FLOAT64, shape).requiresGrad(true);
            Tensor y = x.mul(x).mul(x).sum();   // x^3: x receives two gradients from each mul
            y.backward(null, false, true);
            Tensor gx = x.grad();
            assertTrue(gx.requiresGrad(), "the gradient carries a graph");
            for (double v : gx.toDoubleArray()) {
                assertEquals(27.0, v, 1e-12);   // 3 x^2
            }
            Tensor second = Autograd.grad(gx.sum(), x, false);
            for (double v : second.toDoubleArray()) {
                assertEquals(18.0, v, 1e-12);   // 6 x
            }
        }
    }

    @Test
    void aGradientOfTheInputsShapeButAnotherDtypeIsConverted() {
        for (int[] shape : new int[][] {{}, {1}, {2}}) {
            Tensor x = Tensor.full(1.5, DType.FLOAT32, shape).requiresGrad(true);
            Tensor y = Tensor.full(0.1, DType.FLOAT64, shape).requiresGrad(true);
            x.mul(y).sum().backward();
            assertEquals(DType.FLOAT32, x.grad().dtype());
            assertEquals(DType.FLOAT64, y.grad().dtype());
            for (double v : x.grad().toDoubleArray()) {
                assertEquals((float) 0.1, (float) v, 0f);
            }
            for (double v : y.grad().toDoubleArray()) {
                assertEquals(1.5, v, 0.0);
            }
        }
    }

    /** A custom op whose float64 output and gradient keep its float32 input's shape array. */
    private static final class Widen extends Function {
        Tensor input;

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            input = in[0];
            return in[0].detach().to(DType.FLOAT64);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            return new Tensor[] {input.detach().to(DType.FLOAT64)};   // the derivative of x^2 / 2, in float64
        }
    }

    @Test
    void aGradientWithTheInputsShapeArrayButAnotherDtypeIsConverted() {
        Tensor x = Tensor.of(new double[] {1.5, -2, 4}, 3).to(DType.FLOAT32).requiresGrad(true);
        Widen f = new Widen();
        Tensor y = f.apply(x);
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward(Tensor.ones(DType.FLOAT64, 3));
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new double[] {1.5, -2, 4}, x.grad().toDoubleArray(), 0.0);
    }

    @Test
    void aPlainBackwardAfterARecordedOneAddsOutsideTheGraph() {
        Tensor x = leaf(2);
        x.mul(x).backward(null, false, true);   // grad 2x = 4, with a graph
        assertTrue(x.grad().requiresGrad());
        x.mul(x).mul(x).backward();              // + 3x^2 = 12, no graph
        assertEquals(16.0, x.grad().item(), 0.0);
        assertFalse(x.grad().requiresGrad());
    }

    @Test
    void aZeroedGradientTheEngineOverwritesHasItsVersionBumped() {
        Tensor x = leaf(7, DType.FLOAT64, 3);
        x.mul(2).sum().backward();
        x.grad().zero();                       // in place: the engine may copy the next gradient into it
        Tensor p = leaf(8, DType.FLOAT64, 3);
        Tensor z = p.mul(x.grad()).sum();     // saves x.grad() for p's gradient
        int before = x.grad().version();
        x.mul(3).sum().backward();
        assertTrue(x.grad().version() != before, "the buffer's version changes");
        assertArrayEquals(new double[] {3, 3, 3}, x.grad().toDoubleArray(), 0.0);
        assertThrows(AutogradException.class, z::backward);
    }

    @Test
    void aLinearWeightThatIsNotALeafGetsNoBuffer() {
        Tensor x = leaf(1, DType.FLOAT64, 4, 3);
        Tensor w0 = leaf(2, DType.FLOAT64, 2, 3);
        Tensor w = w0.mul(2);
        Tensor.linear(x, w, null).sum().backward();
        Tensor expected = Tensor.ones(DType.FLOAT64, 4, 2).mT().matmul(x.detach()).mul(2);
        assertArrayEquals(expected.toDoubleArray(), w0.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void aWeightWithAPendingGradientIsNotHandedItsBuffer() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = leaf(3, dtype, 5, 3);
            Tensor w = leaf(4, dtype, 2, 3);
            Tensor c = leaf(5, dtype, 2, 3);
            w.mul(2).sum().backward();
            w.grad().zero();   // a zeroed buffer the linear rule could write into
            // w is also used by a deep op that the walk runs before linear's rule: w's first slot already has a
            // gradient when the rule asks for the buffer.
            Tensor deep = c.exp().exp().mul(0.1).exp();
            Tensor loss = Tensor.linear(x, w, null).sum().add(w.mul(deep).sum());
            loss.backward();
            Tensor expected = Tensor.ones(dtype, 5, 2).mT().matmul(x.detach()).add(deep.detach());
            assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-5);
        }
    }

    @Test
    void aBufferHandedOutBeforeMoreLeavesArriveIsKeptWhenTheLeafArraysGrow() {
        Tensor x0 = leaf(14, DType.FLOAT64, 3, 4);
        Tensor w = leaf(15, DType.FLOAT64, 2, 4);
        w.mul(1).sum().backward();
        w.grad().zero();   // linear's rule (deeper than the muls below, so first) gets this buffer
        Tensor x = x0.exp().exp();
        Tensor loss = Tensor.linear(x, w, null).sum();
        List<Tensor> others = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Tensor o = leaf(i);
            others.add(o);
            loss = loss.add(o.mul(i + 1));
        }
        loss.backward();
        Tensor expected = Tensor.ones(DType.FLOAT64, 3, 2).mT().matmul(x.detach());
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
        for (int i = 0; i < 7; i++) {
            assertEquals(i + 1.0, others.get(i).grad().item(), 0.0);
        }
    }

    @Test
    void aGradientBufferThatCarriesAGraphIsNotWrittenInto() {
        Tensor x = leaf(6, DType.FLOAT64, 4, 3);
        Tensor w = leaf(7, DType.FLOAT64, 2, 3);
        Tensor.linear(x, w, null).square().sum().backward(null, false, true);
        assertTrue(w.grad().requiresGrad());
        try (Grad.Scope off = Grad.disabled()) {
            w.grad().zero();
        }
        Tensor.linear(x, w, null).sum().backward();
        assertFalse(w.grad().requiresGrad(), "a plain backward leaves a gradient without a graph");
        Tensor expected = Tensor.ones(DType.FLOAT64, 4, 2).mT().matmul(x.detach());
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void aLeafGradientMadeByItsHookIsNotAdoptedAndLaterChanged() {
        Tensor x = leaf(9, DType.FLOAT64, 4);
        Tensor[] kept = new Tensor[1];
        x.registerHook(g -> {
            kept[0] = g.mul(2);
            return kept[0];
        });
        x.mul(3).sum().backward();
        Tensor first = kept[0];
        double[] firstValues = first.toDoubleArray();
        assertArrayEquals(new double[] {6, 6, 6, 6}, firstValues, 0.0);
        x.mul(5).sum().backward();
        assertArrayEquals(new double[] {16, 16, 16, 16}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(firstValues, first.toDoubleArray(), 0.0, "the hook's first result is unchanged");
    }

    @Test
    void aGradientThatAnIntermediatesHookKeepsIsNotAdoptedByALeaf() {
        Tensor x = leaf(10, DType.FLOAT64, 4);
        Tensor c = Tensor.ones(DType.FLOAT64, 4);
        Tensor[] kept = new Tensor[1];
        Tensor h = x.add(c);   // add's rule passes h's gradient to x as it is
        h.registerHook(g -> {
            kept[0] = g.mul(2);
            return kept[0];
        });
        h.mul(3).sum().backward();
        double[] firstValues = kept[0].toDoubleArray();
        assertArrayEquals(new double[] {6, 6, 6, 6}, firstValues, 0.0);
        assertArrayEquals(firstValues, x.grad().toDoubleArray(), 0.0);
        x.mul(5).sum().backward();
        assertArrayEquals(new double[] {11, 11, 11, 11}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(firstValues, kept[0].toDoubleArray(), 0.0, "the hook's result is unchanged");
    }

    /** A custom function whose backward keeps the gradient it returns (in a field, say, for a later diagnostic). */
    private static final class KeepsItsGradient extends Function {
        Tensor kept;

        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
            return inputs[0].mul(3);
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor gradOutput) {
            kept = gradOutput.mul(3);
            return new Tensor[] {kept};
        }
    }

    @Test
    void aGradientThatACustomFunctionsBackwardKeepsIsNotAdoptedByALeaf() {
        Tensor x = leaf(14, DType.FLOAT64, 4);
        KeepsItsGradient f = new KeepsItsGradient();
        f.apply(x).sum().backward();
        double[] firstValues = f.kept.toDoubleArray();
        assertArrayEquals(new double[] {3, 3, 3, 3}, firstValues, 0.0);
        assertArrayEquals(firstValues, x.grad().toDoubleArray(), 0.0);
        Tensor keptFirst = f.kept;
        x.mul(5).sum().backward();
        assertArrayEquals(new double[] {8, 8, 8, 8}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(firstValues, keptFirst.toDoubleArray(), 0.0, "the function's result is unchanged");
    }

    @Test
    void threeLeavesTwoOfThemFedOneGradientTensorKeepSeparateGradients() {
        Tensor x = leaf(11, DType.FLOAT64, 3);
        Tensor y = leaf(12, DType.FLOAT64, 3);
        Tensor z = leaf(13, DType.FLOAT64, 3);
        // add's rule hands one dense tensor (mul's 2 g) to both x and y; z gets a tensor of its own.
        x.add(y).mul(2).sum().add(z.mul(2).sum()).backward();
        x.mul(3).sum().backward();   // accumulates into x's gradient only
        assertArrayEquals(new double[] {5, 5, 5}, x.grad().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 2, 2}, y.grad().toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {2, 2, 2}, z.grad().toDoubleArray(), 0.0);
    }

    /**
     * A backward inside a hook inside a backward inside a hook of an outer backward: three walks at once on one
     * thread, the inner two over shared nodes, while the middle walk has a gradient pending on a shared node.
     */
    @Test
    void threeNestedWalksOverSharedNodesKeepTheirOwnBookkeeping() {
        Tensor w = leaf(2);
        Tensor x = leaf(3);
        Tensor y = leaf(0.5);
        double[] middle = new double[1];
        double[] inner = new double[1];
        Tensor q = w.mul(1);
        q.registerHook(g -> {
            try (Grad.Scope on = Grad.enabled()) {   // a backward without createGraph records nothing
                Tensor z = x.mul(x);
                Tensor deep = y.exp().exp();           // makes a deeper than b: a sends to z before b's hook runs
                Tensor a = z.mul(deep);
                Tensor b = z.mul(3);
                boolean[] armed = {true};
                b.registerHook(gb -> {
                    if (armed[0]) {
                        armed[0] = false;
                        inner[0] = Autograd.grad(List.of(z), List.of(x), null, true, false, false).get(0).item();
                    }
                    return gb;
                });
                middle[0] = Autograd.grad(a.add(b), x, false).item();
            }
            return g;
        });
        q.mul(5).backward();
        assertEquals(5.0, w.grad().item(), 0.0);
        assertEquals(6.0, inner[0], 0.0);   // d(x^2)/dx
        assertEquals(6.0 * (Math.exp(Math.exp(0.5)) + 3), middle[0], 1e-12);
    }

    @Test
    void aTensorHookOnAnIntermediateSeesItsSummedGradient() {
        Tensor x = leaf(2);
        Tensor h = x.mul(3);
        List<Double> seen = new ArrayList<>();
        h.registerHook(g -> {
            seen.add(g.item());
            return g;
        });
        h.mul(h).add(h.mul(4)).backward();   // d/dh = 2h + 4 = 16
        assertEquals(List.of(16.0), seen);
        assertNotNull(x.grad());
        assertEquals(48.0, x.grad().item(), 0.0);
    }
}
