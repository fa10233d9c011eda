package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The settings each layer and loss prints (PyTorch's {@code extra_repr}), with defaults and with every setting that
 * is printed only when it differs from its default; the expected texts are written by hand from the constructor
 * arguments. (Convolutions: {@code ConvLayerSettingsTest}; recurrent layers: {@code RecurrentContractTest};
 * attention: {@code MultiheadAttentionNaiveTest}.)
 */
class PrintedSettingsTest {

    @Test
    void pooling() {
        assertEquals("outputSize=[3, 4]", new AdaptiveAvgPool2d(3, 4).extraRepr());
        assertEquals("outputSize=[2, 1]", new AdaptiveMaxPool2d(2, 1).extraRepr());
        assertEquals("kernelSize=3, stride=3, padding=0", new AvgPool1d(3).extraRepr());
        assertEquals("kernelSize=3, stride=2, padding=1, ceilMode=true, countIncludePad=false",
                new AvgPool1d(3, 2, 1, true, false).extraRepr());
        assertEquals("kernelSize=[2, 2], stride=[2, 2], padding=[0, 0]", new AvgPool2d(2).extraRepr());
        assertEquals("kernelSize=[3, 2], stride=[1, 2], padding=[1, 0], ceilMode=true, countIncludePad=false",
                new AvgPool2d(new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}, true, false).extraRepr());
        assertEquals("kernelSize=[3, 2], stride=[1, 2], padding=[1, 0], countIncludePad=false",
                new AvgPool2d(new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}, false).extraRepr());
        assertEquals("kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false", new MaxPool1d(2).extraRepr());
        assertEquals("kernelSize=3, stride=1, padding=1, dilation=2, ceilMode=true",
                new MaxPool1d(3, 1, 1, 2, true).extraRepr());
        assertEquals("kernelSize=[2, 2], stride=[2, 2], padding=[0, 0], dilation=[1, 1], ceilMode=false",
                new MaxPool2d(2).extraRepr());
        assertEquals("kernelSize=[3, 3], stride=[2, 2], padding=[1, 1], dilation=[1, 1], ceilMode=false",
                new MaxPool2d(3, 2, 1).extraRepr());
    }

    @Test
    void normalisation() {
        assertEquals("4, eps=1.0E-5, momentum=0.1, affine=true, trackRunningStats=true",
                new BatchNorm1d(4).extraRepr());
        assertEquals("3, eps=0.001, momentum=None, affine=false, trackRunningStats=false",
                new BatchNorm2d(3, 1e-3, null, false, false, DType.FLOAT32).extraRepr());
        assertEquals("2, 6, eps=1.0E-5, affine=true", new GroupNorm(2, 6).extraRepr());
        assertEquals("3, 6, eps=0.01, affine=false", new GroupNorm(3, 6, 0.01, false, DType.FLOAT32).extraRepr());
        assertEquals("[5], eps=1.0E-5, elementwiseAffine=true", new LayerNorm(5).extraRepr());
        assertEquals("[2, 3], eps=0.1, elementwiseAffine=false",
                new LayerNorm(new int[] {2, 3}, 0.1, false, false, DType.FLOAT32).extraRepr());
        assertEquals("[5], elementwiseAffine=true", new RMSNorm(5).extraRepr());
        assertEquals("[2, 3], eps=0.001, elementwiseAffine=false",
                new RMSNorm(new int[] {2, 3}, 1e-3, false, DType.FLOAT32).extraRepr());
    }

    @Test
    void activationsAndOthers() {
        assertEquals("alpha=1.0", new CELU().extraRepr());
        assertEquals("alpha=0.5", new ELU(0.5).extraRepr());
        assertEquals("p=0.3", new Dropout(0.3).extraRepr());
        assertEquals("p=0.2", new Dropout2d(0.2).extraRepr());
        assertEquals("", new GELU().extraRepr());
        assertEquals("approximation=TANH", new GELU(Activations.GeluApproximation.TANH).extraRepr());
        assertEquals("min=-1.0, max=1.0", new Hardtanh().extraRepr());
        assertEquals("negativeSlope=0.01", new LeakyReLU().extraRepr());
        assertEquals("dim=1", new LogSoftmax(1).extraRepr());
        assertEquals("dim=-1", new Softmax(-1).extraRepr());
        assertEquals("beta=1.0, threshold=20.0", new Softplus().extraRepr());
        assertEquals("numParameters=1", new PReLU().extraRepr());
        assertEquals("numParameters=3", new PReLU(3, 0.25, DType.FLOAT32).extraRepr());
        assertEquals("10, 4", new Embedding(10, 4).extraRepr());
        assertEquals("10, 4, paddingIdx=0, maxNorm=2.0",
                new Embedding(10, 4, 0, 2.0, DType.FLOAT32, null).extraRepr());
        assertEquals("10, 4, paddingIdx=3", new Embedding(10, 4, 3, Double.NaN, DType.FLOAT32, null).extraRepr());
        assertEquals("7, 3, mode=MEAN", new EmbeddingBag(7, 3).extraRepr());
        assertEquals("7, 3, mode=MAX", new EmbeddingBag(7, 3, EmbeddingBag.Mode.MAX, DType.FLOAT32, null)
                .extraRepr());
    }

    @Test
    void losses() {
        assertEquals("reduction=MEAN", new CrossEntropyLoss().extraRepr());
        assertEquals("ignoreIndex=2, labelSmoothing=0.1, reduction=SUM",
                new CrossEntropyLoss(Tensor.ones(3), 2, 0.1, Reduction.SUM).extraRepr());
        assertEquals("reduction=NONE", new NLLLoss(Reduction.NONE).extraRepr());
        assertEquals("ignoreIndex=0, reduction=MEAN", new NLLLoss(null, 0, Reduction.MEAN).extraRepr());
        assertEquals("reduction=MEAN, logTarget=false", new KLDivLoss().extraRepr());
        assertEquals("reduction=batchmean, logTarget=true", new KLDivLoss(Reduction.SUM, true, true).extraRepr());
        assertEquals("delta=1.0, reduction=MEAN", new HuberLoss().extraRepr());
        assertEquals("beta=0.5, reduction=SUM", new SmoothL1Loss(0.5, Reduction.SUM).extraRepr());
        assertEquals("logInput=false, full=true, reduction=SUM",
                new PoissonNLLLoss(false, true, 1e-8, Reduction.SUM).extraRepr());
        assertEquals("full=true, eps=0.01, reduction=NONE",
                new GaussianNLLLoss(true, 0.01, Reduction.NONE).extraRepr());
        assertEquals("margin=0.5, reduction=MEAN", new MarginRankingLoss(0.5, Reduction.MEAN).extraRepr());
        assertEquals("margin=0.0, reduction=MEAN", new CosineEmbeddingLoss().extraRepr());
        assertEquals("margin=2.0, p=1.0, swap=true, reduction=SUM",
                new TripletMarginLoss(2, 1, 1e-6, true, Reduction.SUM).extraRepr());
    }
}
