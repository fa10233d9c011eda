package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What a resumed optimizer or scheduler carries over besides the tensors: L-BFGS's evaluation and iteration counters
 * (checked right after the load, before any step could recompute them), refused counters, an empty state loaded over
 * a used one, and a scheduler's saved base rates loaded into a schedule built with other ones.
 */
class ResumedCountersTest {

    private static Tensor param(double... values) {
        return Tensor.of(values.clone()).requiresGrad(true);
    }

    private static double step(LBFGS lbfgs, Tensor w) {
        return lbfgs.step(() -> {
            lbfgs.zeroGrad();
            Tensor loss = w.sub(Tensor.of(new double[] {1, -2, 3})).square().mul(Tensor.of(new double[] {1, 5, 0.5}))
                    .sum().add(w.pow(4).sum().mul(0.01));
            loss.backward();
            return loss;
        }).item();
    }

    private static String json(OptimizerStateDict sd) {
        return sd.metadata().get(OptimizerStateDict.METADATA_KEY);
    }

    private static OptimizerStateDict withJson(OptimizerStateDict sd, String json) {
        return new OptimizerStateDict(sd.tensors(), Map.of(OptimizerStateDict.METADATA_KEY, json));
    }

    @Test
    void lbfgsCountersAreRestoredByTheLoadItself() {
        for (LBFGS.LineSearch search : LBFGS.LineSearch.values()) {
            var options = LBFGS.options().lr(0.5).maxIter(3).historySize(2).lineSearchFn(search);
            Tensor w = param(0.5, 0.5, 0.5);
            LBFGS first = new LBFGS(List.of(w), options);
            step(first, w);
            step(first, w);
            OptimizerStateDict saved = first.stateDict();
            double evals = first.state(w).scalar("funcEvals", Double.NaN);
            double iters = first.state(w).scalar("nIter", Double.NaN);
            assertTrue(evals >= 2 && iters >= 2, evals + " evaluations, " + iters + " iterations");
            Tensor w2 = param(w.toDoubleArray());
            LBFGS second = new LBFGS(List.of(w2), options);
            second.loadStateDict(saved);
            assertEquals(json(saved), json(second.stateDict()), search + ": the state as loaded, before any step");
            assertEquals(evals, second.state(w2).scalar("funcEvals", Double.NaN));
            assertEquals(iters, second.state(w2).scalar("nIter", Double.NaN));
            assertEquals((long) iters, second.state(w2).step());
            assertEquals(step(first, w), step(second, w2), 0.0);
            assertArrayEquals(w.toDoubleArray(), w2.toDoubleArray(), 0.0);
            assertEquals(json(first.stateDict()), json(second.stateDict()));
        }
    }

    @Test
    void countersThatAreNotCountsAreRefusedAndChangeNothing() {
        Tensor w = param(0.5, 0.5, 0.5);
        LBFGS first = new LBFGS(List.of(w), LBFGS.options().lr(0.5).maxIter(2).historySize(2));
        step(first, w);
        OptimizerStateDict saved = first.stateDict();
        String json = json(saved);
        double evals = first.state(w).scalar("funcEvals", Double.NaN);
        String evalsText = "\"funcEvals\":\"" + evals + "\"";
        assertTrue(json.contains(evalsText), json);
        for (String bad : new String[] {"-1.0", "2.5", "3.0E10", "NaN"}) {
            Tensor w2 = param(0.5, 0.5, 0.5);
            LBFGS target = new LBFGS(List.of(w2), LBFGS.options().lr(0.5).maxIter(2).historySize(2));
            String broken = json.replace(evalsText, "\"funcEvals\":\"" + bad + "\"");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> target.loadStateDict(withJson(saved, broken)), bad);
            assertTrue(e.getMessage().startsWith("LBFGS.loadStateDict: the state number funcEvals should be a count"),
                    e.getMessage());
            assertNull(target.state(w2), "nothing loaded");
            assertTrue(target.stateDict().tensors().isEmpty());
        }
        double iters = first.state(w).scalar("nIter", Double.NaN);
        String itersText = "\"nIter\":\"" + iters + "\"";
        assertTrue(json.contains(itersText), json);
        LBFGS target = new LBFGS(List.of(param(0.5, 0.5, 0.5)), LBFGS.options().lr(0.5).maxIter(2).historySize(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(withJson(saved, json.replace(itersText, "\"nIter\":\"-2.0\""))));
        assertEquals("LBFGS.loadStateDict: the state number nIter should be a count, got -2.0", e.getMessage());
        // integer counts at both edges are accepted
        Tensor w3 = target.paramGroups().get(0).params().get(0);
        target.loadStateDict(withJson(saved, json.replace(itersText, "\"nIter\":\"" + (double) Integer.MAX_VALUE
                + "\"")));
        target.stateDict();
        assertEquals(Integer.MAX_VALUE, target.state(w3).scalar("nIter", Double.NaN));
        target.loadStateDict(withJson(saved, json.replace(evalsText, "\"funcEvals\":\"0.0\"")));
        target.stateDict();
        assertEquals(0, target.state(w3).scalar("funcEvals", Double.NaN));
    }

    @Test
    void aMissingCurvatureScalarIsRefused() {
        Tensor w = param(0.5, 0.5, 0.5);
        LBFGS first = new LBFGS(List.of(w), LBFGS.options().lr(0.5).maxIter(4).historySize(3));
        step(first, w);
        OptimizerStateDict saved = first.stateDict();
        String json = json(saved);
        int at = json.indexOf("\"ro.1\":");
        assertTrue(at > 0, json);
        int end = json.indexOf(',', at);
        String broken = json.substring(0, at) + json.substring(end + 1);
        LBFGS target = new LBFGS(List.of(param(0.5, 0.5, 0.5)), LBFGS.options().lr(0.5).maxIter(4).historySize(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(withJson(saved, broken)));
        assertEquals("LBFGS.loadStateDict: the curvature pair 1 has no ro.1", e.getMessage());
        assertTrue(target.stateDict().tensors().isEmpty());
    }

    @Test
    void anEmptyStateLoadedOverAUsedOneStartsAfresh() {
        var options = LBFGS.options().lr(0.5).maxIter(3).historySize(2);
        Tensor w = param(0.5, 0.5, 0.5);
        LBFGS used = new LBFGS(List.of(w), options);
        step(used, w);
        OptimizerStateDict empty = new LBFGS(List.of(param(0, 0, 0)), options).stateDict();
        used.loadStateDict(empty);
        assertNull(used.state(w));
        assertTrue(used.stateDict().tensors().isEmpty());
        Tensor fresh = param(w.toDoubleArray());
        LBFGS reference = new LBFGS(List.of(fresh), options);
        assertEquals(step(reference, fresh), step(used, w), 0.0);
        assertArrayEquals(fresh.toDoubleArray(), w.toDoubleArray(), 0.0);
        assertEquals(json(reference.stateDict()), json(used.stateDict()));
    }

    @Test
    void aStateLoadedIntoAUsedOptimizerReplacesItsHistory() {
        var options = LBFGS.options().lr(0.5).maxIter(3).historySize(3);
        Tensor w = param(0.5, 0.5, 0.5);
        LBFGS source = new LBFGS(List.of(w), options);
        step(source, w);
        OptimizerStateDict saved = source.stateDict();
        Tensor other = param(-1, 2, 0.25);
        LBFGS used = new LBFGS(List.of(other), options);
        step(used, other);
        step(used, other);
        Grad.noGrad(() -> other.copyFrom(w));
        used.loadStateDict(saved);
        assertTrue(used.state(other).names().isEmpty(), "the flat copies are the working state after a load");
        assertEquals(json(saved), json(used.stateDict()));
        assertEquals(step(source, w), step(used, other), 0.0);
        assertArrayEquals(w.toDoubleArray(), other.toDoubleArray(), 0.0);
    }

    @Test
    void aResumeWhoseFirstCurvaturePairIsRejectedUsesTheSavedScaling() {
        // a linear objective: the gradient never changes, so y = 0 and every curvature pair is rejected
        var options = LBFGS.options().lr(0.1).maxIter(2).historySize(2);
        Tensor w = param(0.5, -0.5, 1);
        LBFGS first = new LBFGS(List.of(w), options);
        java.util.function.Supplier<Tensor> loss = () -> {
            first.zeroGrad();
            Tensor l = w.mul(Tensor.of(new double[] {1, -2, 0.5})).sum();
            l.backward();
            return l;
        };
        first.step(loss);
        OptimizerStateDict saved = first.stateDict();
        Tensor w2 = param(w.toDoubleArray());
        LBFGS second = new LBFGS(List.of(w2), options);
        second.loadStateDict(saved);
        first.step(loss);
        second.step(() -> {
            second.zeroGrad();
            Tensor l = w2.mul(Tensor.of(new double[] {1, -2, 0.5})).sum();
            l.backward();
            return l;
        });
        assertArrayEquals(w.toDoubleArray(), w2.toDoubleArray(), 0.0);
        for (double v : w2.toDoubleArray()) assertTrue(Double.isFinite(v));
    }

    @Test
    void aGradientExactlyAtToleranceGradIsAlreadyOptimal() {
        // f = x^2 / 2 at x = 0.25: the gradient is exactly 0.25 (binary fractions), <= toleranceGrad 0.25
        Tensor x = param(0.25);
        LBFGS lbfgs = new LBFGS(List.of(x), LBFGS.options().toleranceGrad(0.25));
        java.util.function.Supplier<Tensor> half = () -> {
            lbfgs.zeroGrad();
            Tensor l = x.square().mul(0.5).sum();
            l.backward();
            return l;
        };
        assertEquals(0.03125, lbfgs.step(half).item());
        assertArrayEquals(new double[] {0.25}, x.toDoubleArray(), "no step taken");
        lbfgs.stateDict();
        assertEquals(1, lbfgs.state(x).scalar("funcEvals", Double.NaN));
        assertEquals(0, lbfgs.state(x).scalar("nIter", Double.NaN));
    }

    @Test
    void aDirectionalDerivativeExactlyAtToleranceChangeStillSteps() {
        // at x = 0.5 the first direction is -g = -0.5 and g.d = -0.25 exactly: not > -0.25, so a step is taken
        Tensor x = param(0.5);
        LBFGS lbfgs = new LBFGS(List.of(x), LBFGS.options().lr(0.5).maxIter(1).toleranceChange(0.25));
        lbfgs.step(() -> {
            lbfgs.zeroGrad();
            Tensor l = x.square().mul(0.5).sum();
            l.backward();
            return l;
        });
        // t = min(1, 1 / |g|_1) * lr = 0.5, x = 0.5 - 0.5 * 0.5
        assertArrayEquals(new double[] {0.25}, x.toDoubleArray());
    }

    @Test
    void aSchedulerTakesTheSavedBaseRates() {
        Tensor a = Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true);
        SGD saving = new SGD(List.of(a), 0.1);
        LambdaLR source = new LambdaLR(saving, epoch -> 1.0 / (1 + epoch));
        source.step();
        source.step();
        source.step();
        Map<String, String> state = source.stateDict();
        Tensor b = Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true);
        SGD loading = new SGD(List.of(b), 0.8);
        LambdaLR target = new LambdaLR(loading, epoch -> 1.0 / (1 + epoch));
        target.loadStateDict(state);
        assertEquals(source.stateDict(), target.stateDict());
        assertArrayEquals(source.lastLr(), target.lastLr());
        for (int i = 0; i < 3; i++) {
            source.step();
            target.step();
            assertArrayEquals(source.lastLr(), target.lastLr(), 0.0, "epoch " + source.lastEpoch());
        }
        assertEquals(0.1 / 7, target.lastLr()[0], 1e-15, "base rate 0.1 at epoch 6; the 0.8 is gone");
    }
}
