package org.grad4j.nn;

import static org.grad4j.nn.FusionBits.assertSameBits;
import static org.grad4j.nn.FusionBits.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Sequential} runs a {@link Conv2d}, a {@link ReLU} and a {@link MaxPool2d} in a row as one fused op
 * ({@code conv2dReluMaxPool2d}): output and gradients are the bits of calling the modules one by one, for pooling
 * settings beyond LeNet's (stride, padding, dilation, ceil mode), padding modes of the convolution and a 3-d
 * unbatched input; a hook on the pooling or a subclass of it leaves the pooling apart (the convolution and ReLU still
 * fuse).
 */
class SequentialConvReluPoolFusionTest {
    @Test
    void poolingSettingsAndPaddingModesGiveTheBitsOfTheModulesOneByOne() {
        MaxPool2d[] pools = {
            new MaxPool2d(2), new MaxPool2d(3, 1, 1),
            new MaxPool2d(new int[] {2, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {2, 1}, true),
        };
        for (PaddingMode mode : new PaddingMode[] {PaddingMode.ZEROS, PaddingMode.REFLECT, PaddingMode.CIRCULAR}) {
            for (MaxPool2d pool : pools) {
                SplittableRandom rng = new SplittableRandom(21);
                Conv2d conv = new Conv2d(3, 5, 3, ConvOptions.create().padding(1).paddingMode(mode).rng(rng));
                Tensor x = Tensor.randn(rng, DType.FLOAT32, 4, 3, 11, 9).requiresGrad(true);
                List<Module> modules = List.of(conv, new ReLU(), pool);
                assertSameBits(run(modules, x, false), run(modules, x, true), mode + " " + pool);
            }
        }
    }

    @Test
    void theFusedOpRunsForTheThreeAndUnbatchedInputKeepsItsShape() {
        SplittableRandom rng = new SplittableRandom(3);
        Conv2d conv = new Conv2d(2, 3, 3, ConvOptions.create().padding(1).rng(rng));
        Tensor y = new Sequential(conv, new ReLU(), new MaxPool2d(2)).forward(
                Tensor.randn(rng, DType.FLOAT32, 2, 2, 6, 6).requiresGrad(true));
        assertEquals("conv2dReluMaxPool2d", y.gradFnName());
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 2, 6, 6).requiresGrad(true);
        List<Module> modules = List.of(conv, new ReLU(), new MaxPool2d(2));
        assertArrayEquals(new int[] {3, 3, 3}, new Sequential(modules).forward(x).shape());
        assertSameBits(run(modules, x, false), run(modules, x, true), "unbatched");
    }

    @Test
    void aHookOnThePoolingOrASubclassLeavesThePoolingApart() {
        SplittableRandom rng = new SplittableRandom(9);
        Conv2d conv = new Conv2d(1, 2, 3, ConvOptions.create().rng(rng));
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 2, 1, 8, 8).requiresGrad(true);
        MaxPool2d hooked = new MaxPool2d(2);
        Tensor[] seen = new Tensor[1];
        hooked.registerForwardHook((m, in, out) -> {
            seen[0] = in[0];
            return null;
        });
        Tensor y = new Sequential(conv, new ReLU(), hooked).forward(x);
        assertEquals("maxPool2d", y.gradFnName());
        assertEquals("conv2dRelu", seen[0].gradFnName(), "the hook saw the ReLU's output");

        MaxPool2d sub = new MaxPool2d(2) {
            @Override
            public Tensor forward(Tensor input) {
                return super.forward(input).mul(3);
            }
        };
        Tensor z = new Sequential(conv, new ReLU(), sub).forward(x);
        assertArrayEquals(conv.forward(x).relu().maxPool2d(new int[] {2, 2}, null, new int[] {0, 0},
                new int[] {1, 1}, false).mul(3).toDoubleArray(), z.toDoubleArray(), 0.0);
    }
}
