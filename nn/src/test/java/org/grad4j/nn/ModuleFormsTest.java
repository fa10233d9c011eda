package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The module forms users reach through a generic call (varargs {@code forward}, one-argument stacks), the printed
 * settings of a fully configured convolution, the norms' accessors and the batch norms' rank checks: each against
 * the functional form or the hand-written expected value.
 */
class ModuleFormsTest {
    private final SplittableRandom rng = new SplittableRandom(11);

    private Tensor randn(int... shape) {
        return Tensor.randn(rng, DType.FLOAT64, shape);
    }

    @Test
    void conv2dPrintsEveryNonDefaultSetting() {
        Conv2d all = new Conv2d(4, 6, 3, ConvOptions.create().stride(2).padding(1).dilation(2).groups(2).bias(false)
                .paddingMode(PaddingMode.REFLECT));
        assertEquals("Conv2d(4, 6, kernelSize=[3, 3], stride=[2, 2], padding=[1, 1], dilation=[2, 2], groups=2, "
                + "bias=false, paddingMode=REFLECT)", settings(all));
        assertEquals("Conv2d(1, 2, kernelSize=[3, 3], stride=[1, 1], padding=[0, 0])",
                settings(new Conv2d(1, 2, 3)));
        assertEquals("Conv2d(1, 2, kernelSize=[3, 3], stride=[1, 1], padding=same)",
                settings(new Conv2d(1, 2, 3, ConvOptions.create().paddingSame())));
    }

    /** The printed name and settings, without the parameter summary that follows them. */
    private static String settings(Module module) {
        String printed = module.toString();
        return printed.substring(0, printed.indexOf(')') + 1);
    }

    @Test
    void threeInputLossesGiveTheFunctionalValueThroughVarargsForward() {
        Tensor a = randn(4, 5);
        Tensor b = randn(4, 5);
        Tensor c = randn(4, 5);
        Tensor sign = Tensor.of(new double[] {1, -1, 1, -1});
        assertEquals(Losses.cosineEmbedding(a, b, sign, 0, Reduction.MEAN).item(),
                new CosineEmbeddingLoss().forward(new Tensor[] {a, b, sign}).item(), 0);
        Tensor x1 = randn(4);
        Tensor x2 = randn(4);
        assertEquals(Losses.marginRanking(x1, x2, sign, 0, Reduction.MEAN).item(),
                new MarginRankingLoss().forward(new Tensor[] {x1, x2, sign}).item(), 0);
        Tensor var = a.square().add(0.5);
        assertEquals(Losses.gaussianNll(b, c, var, false, 1e-6, Reduction.MEAN).item(),
                new GaussianNLLLoss().forward(new Tensor[] {b, c, var}).item(), 0);
        assertEquals(Losses.tripletMargin(a, b, c, 1, 2, 1e-6, false, Reduction.MEAN).item(),
                new TripletMarginLoss().forward(new Tensor[] {a, b, c}).item(), 0);
    }

    @Test
    void anEncoderStackAppliesItsLayersInOrder() {
        TransformerEncoder stack = new TransformerEncoder(() -> new TransformerEncoderLayer(8, 2), 2, null);
        stack.eval();
        assertEquals(2, stack.layers().size());
        Tensor src = Tensor.randn(rng, DType.FLOAT32, 3, 4, 8);
        Tensor byHand = stack.layers().get(1).forward(stack.layers().get(0).forward(src, null, null), null, null);
        assertArrayEquals(byHand.toFloatArray(), stack.forward(src).toFloatArray(), 0f);
    }

    @Test
    void normsExposeTheirAffineParametersWithPyTorchsInitialValues() {
        LayerNorm layerNorm = new LayerNorm(4);
        assertArrayEquals(new float[] {1, 1, 1, 1}, layerNorm.weight().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0}, layerNorm.bias().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, new RMSNorm(3).weight().toFloatArray());
    }

    @Test
    void batchNormsRefuseInputsOfAnotherRankNamingTheExpectedShape() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(one.getMessage().contains("[N, C] or [N, C, L]"), one.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)));
        assertTrue(two.getMessage().contains("[N, C, H, W]"), two.getMessage());
    }
}
