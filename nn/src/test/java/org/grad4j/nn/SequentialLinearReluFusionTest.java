package org.grad4j.nn;

import static org.grad4j.nn.FusionBits.assertSameBits;
import static org.grad4j.nn.FusionBits.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential} runs a {@link Linear} followed by a {@link ReLU} as one fused op: output and parameter gradients
 * are the bits of calling the modules one by one (the benchmark's 784-256-128-10 MLP in both dtypes, with and
 * without bias, 1-d and 3-d inputs, nested Sequentials); a hook on either module, a subclass, or a ReLU that does not
 * directly follow keeps them apart; the layer's own input errors are unchanged.
 */
class SequentialLinearReluFusionTest {
    private static List<Module> mlp(SplittableRandom rng, DType dtype, boolean bias) {
        return List.of(new Linear(784, 256, bias, dtype, rng), new ReLU(), new Linear(256, 128, bias, dtype, rng),
                new ReLU(), new Linear(128, 10, bias, dtype, rng));
    }

    @Test
    void fusedSequentialGivesTheBitsOfTheModulesCalledOneByOne() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean bias : new boolean[] {true, false}) {
                List<Module> modules = mlp(new SplittableRandom(11), dtype, bias);
                for (int[] shape : new int[][] {{32, 784}, {784}, {2, 5, 784}}) {
                    Tensor x = Tensor.randn(new SplittableRandom(12), dtype, shape);
                    String what = dtype + " bias " + bias + " input " + java.util.Arrays.toString(shape);
                    assertSameBits(run(modules, x, false), run(modules, x, true), what);
                }
            }
        }
    }

    @Test
    void theFusedOpIsWhatRunsAndTheReluModuleIsSkipped() {
        SplittableRandom rng = new SplittableRandom(3);
        Linear linear = new Linear(4, 3, true, DType.FLOAT32, rng);
        Tensor y = new Sequential(linear, new ReLU()).forward(Tensor.randn(rng, DType.FLOAT32, 2, 4));
        assertEquals("linearRelu", y.gradFnName());
        Tensor z = new Sequential(linear, new ReLU(), new Linear(3, 2, true, DType.FLOAT32, rng), new ReLU())
                .forward(Tensor.randn(rng, DType.FLOAT32, 2, 4));
        assertEquals("linearRelu", z.gradFnName());
        // a Linear last, or a ReLU first, runs as itself
        assertEquals("linear", new Sequential(new ReLU(), linear).forward(Tensor.randn(rng, DType.FLOAT32, 2, 4))
                .gradFnName());
    }

    @Test
    void nestedSequentialsFuseWithinALevelOnly() {
        SplittableRandom rng = new SplittableRandom(5);
        Linear first = new Linear(6, 5, true, DType.FLOAT32, rng);
        Linear second = new Linear(5, 4, true, DType.FLOAT32, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 3, 6);
        List<double[]> expected = run(List.of(first, new ReLU(), second, new ReLU()), x, false);
        Sequential nested = new Sequential(new Sequential(first, new ReLU()), new Sequential(second), new ReLU());
        Tensor y = nested.forward(x);
        nested.zeroGrad();
        y.square().sum().backward();
        List<double[]> actual = new ArrayList<>();
        actual.add(y.detach().toDoubleArray());
        for (Tensor p : List.of(first.weight(), first.bias(), second.weight(), second.bias())) {
            actual.add(p.grad().toDoubleArray());
        }
        assertSameBits(expected, actual, "nested");
        // the second Linear and its ReLU sit at different levels: relu's own node
        assertEquals("relu", y.gradFnName());
        Tensor inner = new Sequential(new Sequential(new Sequential(first, new ReLU()))).forward(x);
        assertEquals("linearRelu", inner.gradFnName());
    }

    @Test
    void hooksSubclassesAndOtherModulesKeepTheModulesApart() {
        SplittableRandom rng = new SplittableRandom(7);
        Linear linear = new Linear(4, 6, true, DType.FLOAT32, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 5, 4).requiresGrad(true);
        Tensor preActivation = linear.forward(x);

        // a forward hook on the ReLU sees the layer's output, so the two run as modules
        ReLU hooked = new ReLU();
        Tensor[] seen = new Tensor[1];
        hooked.registerForwardHook((m, in, out) -> {
            seen[0] = in[0];
            return null;
        });
        Tensor y = new Sequential(linear, hooked).forward(x);
        assertArrayEquals(preActivation.toDoubleArray(), seen[0].toDoubleArray(), 0.0);
        assertEquals("relu", y.gradFnName());

        // a hook on the layer sees its own output, before the ReLU
        Linear hookedLinear = new Linear(4, 6, true, DType.FLOAT32, new SplittableRandom(7));
        Tensor[] layerOut = new Tensor[1];
        hookedLinear.registerForwardHook((m, in, out) -> {
            layerOut[0] = out;
            return null;
        });
        new Sequential(hookedLinear, new ReLU()).forward(x);
        assertEquals("linear", layerOut[0].gradFnName());
        assertTrue(layerOut[0].lt(0).any().item() != 0, "the hook saw negative pre-activations");

        // a subclass may change forward: it runs as itself
        Linear doubled = new Linear(4, 6, true, DType.FLOAT32, new SplittableRandom(7)) {
            @Override
            public Tensor forward(Tensor input) {
                return super.forward(input).mul(2);
            }
        };
        Tensor z = new Sequential(doubled, new ReLU()).forward(x);
        assertArrayEquals(preActivation.mul(2).relu().toDoubleArray(), z.toDoubleArray(), 0.0);

        // a ReLU subclass runs as itself too
        ReLU leaky = new ReLU() {
            @Override
            public Tensor forward(Tensor input) {
                return input.mul(0.5);
            }
        };
        Tensor v = new Sequential(linear, leaky).forward(x);
        assertArrayEquals(preActivation.mul(0.5).toDoubleArray(), v.toDoubleArray(), 0.0);

        // a module between them
        Tensor w = new Sequential(linear, new Identity(), new ReLU()).forward(x);
        assertEquals("relu", w.gradFnName());
    }

    @Test
    void aLinearAndReluBeforeOtherLayersFuseOnlyThePair() {
        // a Linear over an image's last dim, then ReLU and max pooling (which only a convolution fuses with)
        SplittableRandom rng = new SplittableRandom(9);
        List<Module> modules = List.of(new Linear(6, 8, true, DType.FLOAT32, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(2 * 3 * 4, 5, true, DType.FLOAT32, rng), new ReLU(), new Dropout(0.0));
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 3, 2, 6, 6);
        assertSameBits(run(modules, x, false), run(modules, x, true), "Linear, ReLU, MaxPool2d, ...");
    }

    @Test
    void theLayersInputErrorsAreUnchanged() {
        Linear linear = new Linear(4, 3, true, DType.FLOAT32, new SplittableRandom(1));
        Sequential s = new Sequential(linear, new ReLU());
        String fused = assertThrows(IllegalArgumentException.class,
                () -> s.forward(Tensor.zeros(DType.FLOAT32, 2, 5))).getMessage();
        String alone = assertThrows(IllegalArgumentException.class,
                () -> linear.forward(Tensor.zeros(DType.FLOAT32, 2, 5))).getMessage();
        assertEquals(alone, fused);
        String dtype = assertThrows(IllegalArgumentException.class,
                () -> s.forward(Tensor.zeros(DType.FLOAT64, 2, 4))).getMessage();
        assertTrue(dtype.contains("convert the input"), dtype);
        assertThrows(IllegalArgumentException.class, () -> s.forward((Tensor) null));
    }
}
