package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The argument checks of the losses beyond mse/l1/huber/bce (those are in {@code HardeningTest}): a target that
 * would broadcast silently, a second tensor of another dtype (which would otherwise be promoted silently), weights
 * and variances of a shape that does not broadcast, labels of the wrong shape or dtype; each refused naming the
 * loss and the values. Plus the ends of the documented parameter ranges, with hand-derived values.
 */
class LossArgumentChecksTest {
    private static final Tensor INPUT = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 2, 3);
    /** Broadcasts to INPUT's shape, so only an explicit check can refuse it. */
    private static final Tensor ROW = Tensor.of(new float[] {0.5f, 0.5f, 0.5f});
    private static final Tensor WIDER = INPUT.to(DType.FLOAT64);
    private static final Tensor LABELS = Tensor.of(new float[] {1, -1});

    private static void refused(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    }

    @Test
    void pairedLossesRefuseABroadcastingTargetAndAnotherDtype() {
        Map<String, java.util.function.BiFunction<Tensor, Tensor, Tensor>> losses = Map.of(
                "smoothL1", (a, b) -> Losses.smoothL1(a, b, 1.0, Reduction.MEAN),
                "klDiv", (a, b) -> Losses.klDiv(a, b, Reduction.SUM, false),
                "poissonNll", (a, b) -> Losses.poissonNll(a, b, true, false, 1e-8, Reduction.MEAN),
                "gaussianNll", (a, b) -> Losses.gaussianNll(a, b, INPUT.onesLike(), false, 1e-6, Reduction.MEAN),
                "cosineEmbedding", (a, b) -> Losses.cosineEmbedding(a, b, LABELS, 0, Reduction.MEAN),
                "marginRanking", (a, b) -> Losses.marginRanking(a, b, Tensor.ones(2, 3), 0, Reduction.MEAN),
                "tripletMargin/positive", (a, b) -> Losses.tripletMargin(a, b, a, 1, 2, 1e-6, false, Reduction.MEAN),
                "tripletMargin/negative", (a, b) -> Losses.tripletMargin(a, a, b, 1, 2, 1e-6, false, Reduction.MEAN),
                "multiLabelSoftMargin", (a, b) -> Losses.multiLabelSoftMargin(a, b, null, Reduction.MEAN));
        losses.forEach((key, loss) -> {
            String name = key.split("/")[0];
            refused(name + ": target shape [3] does not match input shape [2, 3]", () -> loss.apply(INPUT, ROW));
            refused(name + ": target is float64 but the input is float32", () -> loss.apply(INPUT, WIDER));
        });
    }

    @Test
    void weightsVariancesAndLabelsAreChecked() {
        Tensor probabilities = INPUT;
        refused("bce: weight of shape [2] does not broadcast to the input's shape [2, 3]",
                () -> Losses.bce(probabilities, probabilities, Tensor.ones(2), Reduction.MEAN));
        refused("bce: weight is float64 but the input is float32",
                () -> Losses.bce(probabilities, probabilities, Tensor.ones(DType.FLOAT64, 3), Reduction.MEAN));
        refused("gaussianNll: var is float64 but the input is float32",
                () -> Losses.gaussianNll(INPUT, INPUT, Tensor.ones(DType.FLOAT64, 2, 3), false, 1e-6,
                        Reduction.MEAN));
        refused("gaussianNll: var of shape [2] does not broadcast to the input's shape [2, 3]",
                () -> Losses.gaussianNll(INPUT, INPUT, Tensor.ones(2), false, 1e-6, Reduction.MEAN));
        refused("multiLabelSoftMargin: weight is float64 but the input is float32",
                () -> Losses.multiLabelSoftMargin(INPUT, INPUT, Tensor.ones(DType.FLOAT64, 3), Reduction.MEAN));
        refused("multiLabelSoftMargin: weight of shape [2] does not broadcast to the input's shape [2, 3]",
                () -> Losses.multiLabelSoftMargin(INPUT, INPUT, Tensor.ones(2), Reduction.MEAN));
        refused("cosineEmbedding: labels of shape [3] do not match the [2] values they label",
                () -> Losses.cosineEmbedding(INPUT, INPUT, Tensor.ones(3), 0, Reduction.MEAN));
        refused("cosineEmbedding: y is float64 but the input is float32",
                () -> Losses.cosineEmbedding(INPUT, INPUT, LABELS.to(DType.FLOAT64), 0, Reduction.MEAN));
        refused("marginRanking: labels of shape [2] do not match the [2, 3] values they label",
                () -> Losses.marginRanking(INPUT, INPUT, LABELS, 0, Reduction.MEAN));
        refused("marginRanking: y is float64 but the input is float32",
                () -> Losses.marginRanking(INPUT, INPUT, WIDER.onesLike(), 0, Reduction.MEAN));
        Tensor logits = Tensor.zeros(2, 3);
        refused("nll: weight must have shape [3] (one per class), got [2]",
                () -> Losses.nll(logits, Tensor.of(new long[] {0, 1}, 2), Tensor.ones(2), -100, Reduction.MEAN));
        refused("nll: weight is float64 but the input is float32",
                () -> Losses.nll(logits, Tensor.of(new long[] {0, 1}, 2), Tensor.ones(DType.FLOAT64, 3), -100,
                        Reduction.MEAN));
        refused("crossEntropy: target is float64 but the input is float32",
                () -> Losses.crossEntropy(logits, Tensor.ones(DType.FLOAT64, 2, 3).div(3), null, -100, 0,
                        Reduction.MEAN));
    }

    @Test
    void rangeEndsOfDeltaBetaAndLabelSmoothing() {
        Tensor a = Tensor.of(new double[] {0.5, 3});
        Tensor b = Tensor.of(new double[] {0, 1});
        refused("huber: delta must be positive and finite, got 0.0", () -> Losses.huber(a, b, 0.0, Reduction.MEAN));
        refused("huber: delta must be positive and finite, got Infinity",
                () -> Losses.huber(a, b, Double.POSITIVE_INFINITY, Reduction.MEAN));
        // beta = 0 is allowed and is the L1 loss: (0.5 + 2) / 2
        assertEquals(1.25, Losses.smoothL1(a, b, 0.0, Reduction.MEAN).item(), 1e-15);
        // beta = 1: 0.5 * 0.5^2 and 2 - 0.5
        assertEquals((0.125 + 1.5) / 2, Losses.smoothL1(a, b, 1.0, Reduction.MEAN).item(), 1e-15);
        refused("smoothL1: beta must be >= 0 and finite, got -1.0E-300",
                () -> Losses.smoothL1(a, b, -1e-300, Reduction.MEAN));
        // labelSmoothing = 1 is allowed: the loss is the mean of -log p over the classes, log 4 for uniform logits
        assertEquals(Math.log(4), Losses.crossEntropy(Tensor.zeros(DType.FLOAT64, 1, 4),
                Tensor.of(new long[] {2}, 1), null, -100, 1.0, Reduction.MEAN).item(), 1e-15);
        refused("crossEntropy: labelSmoothing must be in [0, 1], got 1.0000000000000002",
                () -> Losses.crossEntropy(Tensor.zeros(1, 4), Tensor.of(new long[] {2}, 1), null, -100,
                        Math.nextUp(1.0), Reduction.MEAN));
    }

    @Test
    void aMaskedLogitDoesNotTurnAnUnsmoothedLossIntoNan() {
        // logits [0, -inf, 0]: log-probabilities [-log 2, -inf, -log 2]; class 0 picked, no smoothing: log 2
        Tensor logits = Tensor.of(new double[] {0, Double.NEGATIVE_INFINITY, 0}, 1, 3);
        assertEquals(Math.log(2), Losses.crossEntropy(logits, Tensor.of(new long[] {0}, 1)).item(), 1e-15);
    }

    @Test
    void theShortNllOverloadsAverage() {
        // log-probabilities of [0.2, 0.3, 0.5] and [0.25, 0.25, 0.5]; classes 2 and 0
        Tensor logp = Tensor.of(new double[] {0.2, 0.3, 0.5, 0.25, 0.25, 0.5}, 2, 3).log();
        double expected = -(Math.log(0.5) + Math.log(0.25)) / 2;
        assertEquals(expected, Losses.nll(logp, new int[] {2, 0}).item(), 1e-15);
        assertEquals(expected, Losses.nll(logp, Tensor.of(new long[] {2, 0}, 2)).item(), 1e-15);
    }
}
