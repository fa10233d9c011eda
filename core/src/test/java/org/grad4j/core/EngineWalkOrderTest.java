package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's walk order (nodes taken deepest first by {@link Node#level}, no pass counting consumers) and its
 * leaves' bookkeeping (arrays scanned by identity, a map beyond eight leaves): every node runs once, after all its
 * consumers, in graphs whose consumers sit at very different depths. Expected values are derived by hand, in
 * float64 with small integers, so they are exact.
 */
class EngineWalkOrderTest {

    private static Tensor leaf(double value) {
        return Tensor.scalar(value, DType.FLOAT64).requiresGrad(true);
    }

    /** {@code x} times 2, {@code n} times: depth n above x. */
    private static Tensor doubled(Tensor x, int n) {
        Tensor t = x;
        for (int i = 0; i < n; i++) {
            t = t.mul(2);
        }
        return t;
    }

    @Test
    void aNodeConsumedAtManyDepthsGetsEveryConsumersGradientBeforeItRuns() {
        Tensor x = leaf(1);
        Tensor h = x.mul(3);   // the shared node, consumed by 12 chains of depths 0 to 11
        Tensor loss = null;
        double expected = 0;
        for (int depth = 0; depth < 12; depth++) {
            Tensor chain = doubled(h, depth);
            loss = loss == null ? chain : loss.add(chain);
            expected += 3 * Math.pow(2, depth);
        }
        loss.backward();
        assertEquals(expected, x.grad().item(), 0.0);
    }

    @Test
    void anOpWithMoreThanTwoInputsIsDeeperThanItsThirdInput() {
        Tensor x = leaf(1);
        Tensor deep = doubled(x, 5);                      // 32 x, five nodes above x
        Tensor stacked = Tensor.stack(0, x, x.mul(1), deep);   // deep is the third input: its depth counts too
        Tensor loss = stacked.sum().add(deep.mul(10));    // d/dx = 1 + 1 + 32 + 320
        loss.backward();
        assertEquals(354, x.grad().item(), 0.0);
    }

    @Test
    void aRootThatFeedsAnotherRootWaitsForIt() {
        Tensor x = leaf(2);
        Tensor a = x.mul(x);            // a = x^2
        Tensor b = doubled(a, 3);       // b = 8 a
        List<Tensor> grads = Autograd.grad(List.of(a, b), List.of(x),
                List.of(Tensor.scalar(1.0, DType.FLOAT64), Tensor.scalar(1.0, DType.FLOAT64)), false, false, false);
        assertEquals(9 * 2 * 2, grads.get(0).item(), 0.0);   // d(a + b)/dx = 9 * 2x
    }

    @Test
    void twentyLeavesEachReachedTwiceGetTheirOwnSums() {
        List<Tensor> leaves = new ArrayList<>();
        Tensor loss = null;
        for (int i = 0; i < 20; i++) {
            Tensor w = leaf(i + 1);
            leaves.add(w);
            Tensor term = w.mul(i + 1).add(w.mul(w));   // d/dw = (i + 1) + 2 w = 3 (i + 1)
            loss = loss == null ? term : loss.add(term);
        }
        Tensor unused = leaf(5);
        unused.mul(2);   // a graph that the loss does not reach
        loss.backward();
        for (int i = 0; i < 20; i++) {
            assertEquals(3.0 * (i + 1), leaves.get(i).grad().item(), 0.0, "leaf " + i);
        }
        assertNull(unused.grad());
        loss = null;
        for (Tensor w : leaves) {
            loss = loss == null ? w.mul(w) : loss.add(w.mul(w));
        }
        loss.backward();   // accumulates: 3 (i + 1) + 2 (i + 1)
        for (int i = 0; i < 20; i++) {
            assertEquals(5.0 * (i + 1), leaves.get(i).grad().item(), 0.0, "leaf " + i);
        }
    }

    @Test
    void aDiamondOfSharedScalarsKeepsItsGradientsApart() {
        Tensor x = leaf(3);
        Tensor t = x.mul(2).relu();          // 6
        Tensor s = t.mul(t).add(1.0);        // t^2 + 1
        Tensor z = t.div(s).sub(t).neg();    // t - t / (t^2 + 1)
        z.backward();
        double tv = 6;
        double dzdt = 1 - (1 - tv * tv) / ((tv * tv + 1) * (tv * tv + 1));
        assertEquals(2 * dzdt, x.grad().item(), 1e-15);
        assertArrayEquals(new int[0], x.grad().shape());
    }
}
