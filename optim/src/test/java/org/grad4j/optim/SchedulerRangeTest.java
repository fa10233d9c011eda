package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The ends of every scheduler setting's allowed range: the smallest allowed value is accepted, the next one out is
 * refused with a message naming the scheduler, the setting and the value; and the learning-rate change that equals
 * {@code eps} exactly, which ReduceLROnPlateau skips as torch does ({@code old - new > eps}).
 */
class SchedulerRangeTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true)), lr);
    }

    private static SGD sgdWithMomentum() {
        return new SGD(List.of(Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true)), SGD.options(0.1).momentum(0.9));
    }

    private static void refused(String expectedStart, Executable e) {
        String m = assertThrows(IllegalArgumentException.class, e).getMessage();
        assertTrue(m.startsWith(expectedStart), m);
    }

    @Test
    void stepCosinePolynomialAndMultiStep() {
        assertDoesNotThrow(() -> new StepLR(sgd(0.1), 1, 0.0));
        refused("StepLR: invalid stepSize = 0", () -> new StepLR(sgd(0.1), 0, 0.5));
        refused("StepLR: invalid gamma = Infinity", () -> new StepLR(sgd(0.1), 1, Double.POSITIVE_INFINITY));
        assertDoesNotThrow(() -> new CosineAnnealingLR(sgd(0.1), 1, 0.0));
        refused("CosineAnnealingLR: invalid tMax = 0", () -> new CosineAnnealingLR(sgd(0.1), 0, 0.0));
        assertDoesNotThrow(() -> new PolynomialLR(sgd(0.1), 1, 0.0));
        refused("PolynomialLR: invalid totalIters = 0", () -> new PolynomialLR(sgd(0.1), 0, 1.0));
        refused("PolynomialLR: invalid power = -1.0E-300", () -> new PolynomialLR(sgd(0.1), 2, -1e-300));
        refused("PolynomialLR: invalid power = Infinity",
                () -> new PolynomialLR(sgd(0.1), 2, Double.POSITIVE_INFINITY));
        assertDoesNotThrow(() -> new MultiStepLR(sgd(0.1), new int[] {0}, 0.0));
        refused("MultiStepLR: invalid milestones = [3, -1]", () -> new MultiStepLR(sgd(0.1), new int[] {3, -1}, 0.5));
        refused("MultiStepLR: invalid gamma = Infinity",
                () -> new MultiStepLR(sgd(0.1), new int[] {1}, Double.POSITIVE_INFINITY));
    }

    @Test
    void oneCycleSettings() {
        assertDoesNotThrow(() -> OneCycleLR.options(0.1, 1, 1));
        refused("OneCycleLR: invalid epochs = 0", () -> OneCycleLR.options(0.1, 0, 5));
        refused("OneCycleLR: invalid stepsPerEpoch = 0", () -> OneCycleLR.options(0.1, 5, 0));
        assertDoesNotThrow(() -> OneCycleLR.options(0.1, Integer.MAX_VALUE, 1));
        refused("OneCycleLR: invalid epochs * stepsPerEpoch = 2147483648",
                () -> OneCycleLR.options(0.1, 1 << 16, 1 << 15));
        assertDoesNotThrow(() -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.0, 1)));
        refused("OneCycleLR: invalid totalSteps = 0", () -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 0)));
        refused("OneCycleLR: invalid maxLr = Infinity",
                () -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(Double.POSITIVE_INFINITY, 10)));
        refused("OneCycleLR: invalid pctStart = -1.0E-9",
                () -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 10).pctStart(-1e-9)));
        refused("OneCycleLR: invalid pctStart = 1.000000001",
                () -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 10).pctStart(1.000000001)));
        assertDoesNotThrow(() -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 10).pctStart(1.0)));
        refused("OneCycleLR: invalid divFactor = 0.0",
                () -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 10).divFactor(0)));
        refused("OneCycleLR: invalid divFactor = Infinity", () -> new OneCycleLR(sgdWithMomentum(),
                OneCycleLR.options(0.1, 10).divFactor(Double.POSITIVE_INFINITY)));
        refused("OneCycleLR: invalid finalDivFactor = 0.0",
                () -> new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 10).finalDivFactor(0)));
        refused("OneCycleLR: invalid finalDivFactor = Infinity", () -> new OneCycleLR(sgdWithMomentum(),
                OneCycleLR.options(0.1, 10).finalDivFactor(Double.POSITIVE_INFINITY)));
        // the smallest positive factors are allowed: initial rate maxLr / divFactor, final initial / finalDivFactor
        OneCycleLR tiny = new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(1e-300, 10).divFactor(1e-10)
                .finalDivFactor(Double.MIN_VALUE));
        assertEquals(1e-290, tiny.lastLr()[0], 1e-304);
    }

    @Test
    void cyclicSettings() {
        SGD two = new SGD(List.of(ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)),
                ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true))), SGD.options(0.1).momentum(0.9));
        CyclicLR perGroup = new CyclicLR(two, CyclicLR.options(new double[] {0.0, 0.5}, new double[] {1.0, 0.5})
                .stepSizeUp(2).stepSizeDown(0));
        assertArrayEquals(new double[] {0.0, 0.5}, perGroup.lastLr(), 0.0);
        perGroup.step();
        assertArrayEquals(new double[] {0.5, 0.5}, perGroup.lastLr(), 1e-15);
        assertDoesNotThrow(() -> new CyclicLR(sgdWithMomentum(), CyclicLR.options(0.0, 0.0).stepSizeUp(1e-300)));
        refused("CyclicLR: invalid baseLr = Infinity", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(Double.POSITIVE_INFINITY, 1)));
        refused("CyclicLR: invalid baseLr = -1.0E-300", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(-1e-300, 1)));
        refused("CyclicLR: invalid maxLr = Infinity", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, Double.POSITIVE_INFINITY)));
        refused("CyclicLR: invalid maxLr = -1.0E-300", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, -1e-300)));
        refused("CyclicLR: invalid stepSizeUp = 0.0", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, 1).stepSizeUp(0)));
        refused("CyclicLR: invalid stepSizeUp = Infinity", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, 1).stepSizeUp(Double.POSITIVE_INFINITY)));
        refused("CyclicLR: invalid stepSizeDown = Infinity", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, 1).stepSizeDown(Double.POSITIVE_INFINITY)));
        refused("CyclicLR: invalid gamma = 0.0", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, 1).gamma(0)));
        refused("CyclicLR: invalid gamma = Infinity", () -> new CyclicLR(sgdWithMomentum(),
                CyclicLR.options(0.1, 1).gamma(Double.POSITIVE_INFINITY)));
    }

    @Test
    void plateauSettingsAndTheEpsBoundary() {
        refused("ReduceLROnPlateau: options is null", () -> new ReduceLROnPlateau(sgd(0.1), null));
        refused("ReduceLROnPlateau: optimizer is null",
                () -> new ReduceLROnPlateau(null, ReduceLROnPlateau.options()));
        refused("ReduceLROnPlateau: invalid threshold = Infinity", () -> new ReduceLROnPlateau(sgd(0.1),
                ReduceLROnPlateau.options().threshold(Double.POSITIVE_INFINITY)));
        assertDoesNotThrow(() -> new ReduceLROnPlateau(sgd(0.1), ReduceLROnPlateau.options().threshold(0)));

        // lr 1 -> 0.5: a change of exactly eps = 0.5 is skipped, one of 0.5 > eps = 0.25 is made
        SGD exact = sgd(1.0);
        var skip = new ReduceLROnPlateau(exact, ReduceLROnPlateau.options().factor(0.5).patience(0).eps(0.5));
        skip.step(1.0);
        skip.step(1.0);
        assertEquals(1.0, exact.paramGroups().get(0).lr(), 0.0);
        SGD below = sgd(1.0);
        var make = new ReduceLROnPlateau(below, ReduceLROnPlateau.options().factor(0.5).patience(0).eps(0.25));
        make.step(1.0);
        make.step(1.0);
        assertEquals(0.5, below.paramGroups().get(0).lr(), 0.0);
        // reaching minLr exactly is a change too: 1 -> max(0.1, 0.5)
        SGD floor = sgd(1.0);
        var clamp = new ReduceLROnPlateau(floor, ReduceLROnPlateau.options().factor(0.1).patience(0).minLr(0.5)
                .eps(0.4999));
        clamp.step(1.0);
        clamp.step(1.0);
        assertEquals(0.5, floor.paramGroups().get(0).lr(), 0.0);
    }

    private static double[] lrs(SGD opt, LRScheduler schedule, int steps) {
        double[] out = new double[steps + 1];
        out[0] = opt.paramGroups().get(0).lr();
        for (int i = 1; i <= steps; i++) {
            schedule.step();
            out[i] = opt.paramGroups().get(0).lr();
        }
        return out;
    }

    /** At a milestone the next scheduler restarts from its base rate (torch's {@code step(0)}, the closed form). */
    @Test
    void exponentialAndStepRestartFromTheirBaseRateAtAMilestone() {
        SGD a = sgd(1.0);
        var expThenStep = new SequentialLR(a, List.of(new ExponentialLR(a, 0.5), new StepLR(a, 2, 0.1)), 2);
        assertArrayEquals(new double[] {1, 0.5, 1, 1, 0.1, 0.1, 0.01}, lrs(a, expThenStep, 6), 1e-15);
        SGD b = sgd(1.0);
        var stepThenExp = new SequentialLR(b, List.of(new StepLR(b, 2, 0.1), new ExponentialLR(b, 0.5)), 3);
        assertArrayEquals(new double[] {1, 1, 0.1, 1, 0.5, 0.25}, lrs(b, stepThenExp, 5), 1e-15);
    }

    @Test
    void sequentialStartsFromTheInitialRateWhateverTheLastConstructedSchedulerSet() {
        SGD opt = sgd(1.0);
        var lambda = new LambdaLR(opt, epoch -> 0.5);
        assertEquals(0.5, opt.paramGroups().get(0).lr(), 0.0);       // LambdaLR's construction set 0.5
        var sequence = new SequentialLR(opt, List.of(new StepLR(opt, 2, 0.1), lambda), 2);
        assertArrayEquals(new double[] {1, 1, 0.5, 0.5}, lrs(opt, sequence, 3), 1e-15);
    }

    @Test
    void oneLambdaOrOneCyclicValueServesEveryGroup() {
        SGD two = new SGD(List.of(ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)),
                ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)).set(SGD.LR, 0.5)),
                SGD.options(1.0).momentum(0.9));
        var half = new LambdaLR(two, epoch -> epoch == 0 ? 1 : 0.0);
        assertArrayEquals(new double[] {1.0, 0.5}, half.lastLr(), 0.0);
        half.step();                                                   // a factor of 0 is allowed
        assertArrayEquals(new double[] {0.0, 0.0}, half.lastLr(), 0.0);
        SGD other = new SGD(List.of(ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)),
                ParamGroup.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true))), SGD.options(1.0).momentum(0.9));
        var cyclic = new CyclicLR(other, CyclicLR.options(0.25, 0.75).stepSizeUp(2));
        assertArrayEquals(new double[] {0.25, 0.25}, cyclic.lastLr(), 0.0);
        cyclic.step();
        assertArrayEquals(new double[] {0.5, 0.5}, cyclic.lastLr(), 1e-15);
    }

    @Test
    void moreRangeEnds() {
        // pctStart 0 is inside the documented range (a schedule may still refuse to step through an empty phase)
        try {
            new OneCycleLR(sgdWithMomentum(), OneCycleLR.options(0.1, 10).pctStart(0.0));
        } catch (IllegalArgumentException e) {
            throw new AssertionError("pctStart = 0 was refused: " + e.getMessage(), e);
        } catch (IllegalStateException emptyPhase) {
            assertTrue(emptyPhase.getMessage().contains("lasts zero steps"), emptyPhase.getMessage());
        }
        refused("OneCycleLR: invalid stepsPerEpoch = 0", () -> OneCycleLR.options(0.1, 1, 0));
        refused("CosineAnnealingLR: invalid etaMin = Infinity",
                () -> new CosineAnnealingLR(sgd(0.1), 3, Double.POSITIVE_INFINITY));
        refused("Rprop: invalid etaPlus = Infinity", () -> new Rprop(List.of(ParamGroup.of(
                Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)).set(Rprop.ETA_PLUS, Double.POSITIVE_INFINITY)),
                Rprop.options()));
        SGD opt = sgd(1.0);
        var infinite = new LambdaLR(opt, epoch -> epoch == 0 ? 1 : Double.POSITIVE_INFINITY);
        IllegalStateException e = assertThrows(IllegalStateException.class, infinite::step);
        assertTrue(e.getMessage().contains("returned Infinity at epoch 1"), e.getMessage());
        assertEquals(0, infinite.lastEpoch());
        refused("OptimizerStateDict: metadata is null", () -> new OptimizerStateDict(java.util.Map.of(), null));
        refused("OptimizerStateDict: tensors is null", () -> new OptimizerStateDict(null, java.util.Map.of()));
        java.util.Map<String, Tensor> unnamed = new java.util.LinkedHashMap<>();
        unnamed.put(null, Tensor.zeros(1));
        refused("ParamGroup.of: named parameter 0 (null) has a null name", () -> ParamGroup.of(unnamed));
        java.util.Map<String, Tensor> empty = new java.util.LinkedHashMap<>();
        empty.put("w", null);
        refused("ParamGroup.of: named parameter 0 (w) has a null tensor", () -> ParamGroup.of(empty));
    }
}
