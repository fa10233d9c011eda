package org.grad4j.nn;

import static org.grad4j.nn.FusionBits.assertSameBits;
import static org.grad4j.nn.FusionBits.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential} runs a {@link Conv2d} followed by a {@link ReLU} as one fused op: output and parameter gradients
 * are the bits of calling the modules one by one (LeNet's layers, padding modes, a 3-d unbatched input, nested
 * Sequentials); a hook on either module, a subclass, or a ReLU that does not directly follow keeps them apart.
 */
class SequentialConvReluFusionTest {
    private static List<Module> lenet(SplittableRandom rng, PaddingMode mode) {
        return List.of(new Conv2d(1, 16, 5, ConvOptions.create().padding(2).paddingMode(mode).rng(rng)), new ReLU(),
                new MaxPool2d(2), new Conv2d(16, 32, 5, ConvOptions.create().rng(rng)), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(800, 10, true, DType.FLOAT32, rng));
    }

    @Test
    void fusedSequentialGivesTheBitsOfTheModulesCalledOneByOne() {
        for (PaddingMode mode : new PaddingMode[] {PaddingMode.ZEROS, PaddingMode.REFLECT}) {
            List<Module> modules = lenet(new SplittableRandom(11), mode);
            Tensor x = Tensor.randn(new SplittableRandom(12), DType.FLOAT32, 6, 1, 28, 28);
            assertSameBits(run(modules, x, false), run(modules, x, true), mode.toString());
        }
    }

    @Test
    void theFusedOpIsWhatRunsAndTheReluModuleIsSkipped() {
        SplittableRandom rng = new SplittableRandom(3);
        Conv2d conv = new Conv2d(2, 3, 3, ConvOptions.create().padding(1).rng(rng));
        Tensor y = new Sequential(conv, new ReLU()).forward(Tensor.randn(rng, DType.FLOAT32, 2, 2, 5, 5));
        assertEquals("conv2dRelu", y.gradFnName());
        Tensor unbatched = new Sequential(conv, new ReLU()).forward(Tensor.randn(rng, DType.FLOAT32, 2, 5, 5));
        assertArrayEquals(new int[] {3, 5, 5}, unbatched.shape());
    }

    @Test
    void unbatchedInputAndNestedSequentialsGiveTheSameBits() {
        SplittableRandom rng = new SplittableRandom(5);
        Conv2d conv = new Conv2d(2, 4, 3, ConvOptions.create().padding(1).rng(rng));
        Conv2d conv2 = new Conv2d(4, 2, 3, ConvOptions.create().rng(rng));
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 2, 7, 6);
        List<Module> flat = List.of(conv, new ReLU(), conv2, new ReLU());
        List<double[]> expected = run(flat, x, false);
        Sequential nested = new Sequential(new Sequential(conv, new ReLU()), new Sequential(conv2), new ReLU());
        Tensor y = nested.forward(x);
        // the first pair fuses inside its Sequential; the second conv and ReLU sit at different levels
        nested.zeroGrad();
        y.square().sum().backward();
        List<double[]> actual = new ArrayList<>();
        actual.add(y.detach().toDoubleArray());
        for (Tensor p : List.of(conv.weight(), conv.bias(), conv2.weight(), conv2.bias())) {
            actual.add(p.grad().toDoubleArray());
        }
        assertSameBits(expected, actual, "nested");
        assertEquals("relu", y.gradFnName());
    }

    @Test
    void hooksSubclassesAndOtherModulesKeepTheModulesApart() {
        SplittableRandom rng = new SplittableRandom(7);
        Conv2d conv = new Conv2d(1, 2, 3, ConvOptions.create().rng(rng));
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 1, 1, 5, 5).requiresGrad(true);
        Tensor preActivation = conv.forward(x);

        // a forward hook on the ReLU sees the convolution's output, so the two run as modules
        ReLU hooked = new ReLU();
        Tensor[] seen = new Tensor[1];
        hooked.registerForwardHook((m, in, out) -> {
            seen[0] = in[0];
            return null;
        });
        Tensor y = new Sequential(conv, hooked).forward(x);
        assertArrayEquals(preActivation.toDoubleArray(), seen[0].toDoubleArray(), 0.0);
        assertEquals("relu", y.gradFnName());

        // a hook on the convolution sees its own output, before the ReLU
        Conv2d hookedConv = new Conv2d(1, 2, 3, ConvOptions.create().rng(new SplittableRandom(7)));
        Tensor[] convOut = new Tensor[1];
        hookedConv.registerForwardHook((m, in, out) -> {
            convOut[0] = out;
            return null;
        });
        new Sequential(hookedConv, new ReLU()).forward(x);
        assertEquals("conv2d", convOut[0].gradFnName());
        assertTrue(convOut[0].lt(0).any().item() != 0, "the hook saw negative pre-activations");

        // a subclass may change forward: it runs as itself
        Conv2d doubled = new Conv2d(1, 2, 3, ConvOptions.create().rng(new SplittableRandom(7))) {
            @Override
            public Tensor forward(Tensor input) {
                return super.forward(input).mul(2);
            }
        };
        Tensor z = new Sequential(doubled, new ReLU()).forward(x);
        assertArrayEquals(preActivation.mul(2).relu().toDoubleArray(), z.toDoubleArray(), 0.0);

        // a module between them
        Tensor w = new Sequential(conv, new Identity(), new ReLU()).forward(x);
        assertEquals("relu", w.gradFnName());
    }
}
