package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Module#zeroGrad(boolean)}: with {@code false} the gradient tensors are kept, zeroed, and the next backward
 * writes into them; a few steps of plain gradient descent then follow exactly the trajectory of set-to-none.
 */
class ZeroGradInPlaceTest {

    private static Sequential model() {
        SplittableRandom rng = new SplittableRandom(3);
        return new Sequential(new Linear(5, 8, true, DType.FLOAT32, rng), new ReLU(),
                new Linear(8, 3, true, DType.FLOAT32, rng));
    }

    /** Runs {@code steps} steps of {@code p -= 0.1 grad}; returns the parameters' values after each. */
    private static List<float[]> train(Sequential m, boolean keepBuffers, int steps) {
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, 4, 5);
        Tensor target = Tensor.randn(new SplittableRandom(6), DType.FLOAT32, 4, 3);
        List<float[]> trajectory = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            m.zeroGrad(!keepBuffers);
            m.forward(x).sub(target).square().mean().backward();
            Grad.noGrad(() -> {
                for (Tensor p : m.parameters()) {
                    p.subInPlace(p.grad().mul(0.1));
                }
            });
            for (Tensor p : m.parameters()) {
                trajectory.add(p.toFloatArray());
            }
        }
        return trajectory;
    }

    @Test
    void inPlaceZeroingFollowsTheSetToNoneTrajectoryBitForBit() {
        List<float[]> none = train(model(), false, 4);
        List<float[]> kept = train(model(), true, 4);
        assertEquals(none.size(), kept.size());
        for (int i = 0; i < none.size(); i++) {
            assertArrayEquals(none.get(i), kept.get(i), 0f, "parameter snapshot " + i);
        }
    }

    @Test
    void buffersAreKeptAndZeroedOrCleared() {
        Sequential m = model();
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, 4, 5);
        m.forward(x).sum().backward();
        Linear first = (Linear) m.get(0);
        Tensor buffer = first.weight().grad();
        m.zeroGrad(false);
        assertSame(buffer, first.weight().grad());
        assertArrayEquals(new float[40], buffer.toFloatArray(), 0f);
        m.forward(x).sum().backward();
        assertSame(buffer, first.weight().grad(), "the backward wrote into the kept buffer");
        m.zeroGrad(true);
        assertNull(first.weight().grad());
        m.zeroGrad(false);   // nothing to zero: stays null
        assertNull(first.weight().grad());
    }
}
