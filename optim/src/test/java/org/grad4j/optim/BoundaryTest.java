package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The edges of every range check: the smallest and largest accepted values are accepted and the first rejected
 * ones are rejected; a refused group or state dict leaves everything as it was; fluent setters return their
 * receiver; printed forms name what they show.
 */
class BoundaryTest {
    private static Tensor param() {
        return Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true);
    }

    private static SGD sgd() {
        return new SGD(List.of(param()), 0.1);
    }

    private static void refused(Executable call) {
        assertThrows(IllegalArgumentException.class, call);
    }

    @Test
    void optimizerRangesAcceptTheirEdges() {
        new Adam(List.of(param()), Adam.options().lr(0).betas(0, 0).eps(0).weightDecay(0));
        refused(() -> new Adam(List.of(param()), Adam.options().betas(-1e-300, 0.9)));
        refused(() -> new Adam(List.of(param()), Adam.options().betas(0.9, 1.0)));
        new SGD(List.of(param()), SGD.options(0.1).dampening(1).momentum(0));
        refused(() -> new SGD(List.of(param()), SGD.options(0.1).dampening(Math.nextUp(1.0))));
        refused(() -> new SGD(List.of(param()), SGD.options(0.1).dampening(-Double.MIN_VALUE)));
        new RMSProp(List.of(param()), RMSProp.options().alpha(0));
        new RMSProp(List.of(param()), RMSProp.options().alpha(1));
        refused(() -> new RMSProp(List.of(param()), RMSProp.options().alpha(Math.nextUp(1.0))));
        refused(() -> new SGD(List.of(param()), SGD.options(Double.MAX_VALUE * 2)));
    }

    @Test
    void aRefusedGroupKeepsOnlyItsOwnOverridesAndCanBeFixedAndReused() {
        ParamGroup g = ParamGroup.of(List.of(param()), SGD.options().lr(-1));
        refused(() -> new SGD(List.of(g), SGD.options().momentum(0.5)));
        assertEquals(Map.of(SGD.LR, -1.0), g.options(), "no defaults merged into a refused group");
        assertSame(g, g.set(SGD.LR, 0.25));
        SGD ok = new SGD(List.of(g), SGD.options().momentum(0.5));
        assertEquals(0.25, g.lr());
        assertEquals(0.5, g.get(SGD.MOMENTUM));
        assertEquals(0.5, ok.defaults().get(SGD.MOMENTUM));
        assertEquals(false, ok.defaults().get(SGD.NESTEROV));
        assertTrue(!ok.defaults().containsKey(SGD.LR), "a required option nobody set has no default");
        assertSame(g, g.setLr(0.3));
        assertEquals(0.3, g.lr());
        assertEquals(List.of("w"), ParamGroup.of(Map.of("w", param())).names());
        assertEquals(null, g.names());
        assertTrue(g.toString().startsWith("ParamGroup 0 (1 params) {lr=0.3, momentum=0.5"), g.toString());
        assertTrue(ParamGroup.of(param()).toString().startsWith("ParamGroup (1 params)"));
        assertTrue(ok.toString().startsWith("SGD (\n  group 0: 1 params {lr=0.3"), ok.toString());
        assertTrue(SGD.options(0.5).momentum(0.9).toString().equals("Options{lr=0.5, momentum=0.9}"),
                SGD.options(0.5).momentum(0.9).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.get(Adam.BETA1));
        assertTrue(e.getMessage().startsWith("SGD param group 0: option 'beta1' is not set"), e.getMessage());
    }

    @Test
    void stateDictsWithANullTensorAnOutOfRangeIndexOrABadStepAreRefusedAndChangeNothing() {
        Tensor x = param();
        Tensor y = param();
        Adam adam = new Adam(List.of(x, y), Adam.options().lr(0.1));
        x.sum().backward();
        adam.step();
        OptimizerStateDict sd = adam.stateDict();
        Map<String, Tensor> withNull = new LinkedHashMap<>(sd.tensors());
        withNull.put("state.1.expAvg", null);
        Adam target = new Adam(List.of(param(), param()), Adam.options().lr(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerStateDict(withNull, sd.metadata())));
        assertTrue(e.getMessage().contains("state tensor 'state.1.expAvg' has shape null"), e.getMessage());
        Map<String, Tensor> outOfRange = new LinkedHashMap<>(sd.tensors());
        outOfRange.put("state.2.expAvg", Tensor.zeros(DType.FLOAT64, 2));
        e = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerStateDict(outOfRange, sd.metadata())));
        assertTrue(e.getMessage().contains("names parameter 2 but the optimizer has 2 parameters"), e.getMessage());
        String json = sd.metadata().get(OptimizerStateDict.METADATA_KEY);
        assertTrue(json.contains("\"steps\":{\"0\":1}"), json);
        target.loadStateDict(new OptimizerStateDict(sd.tensors(), Map.of(OptimizerStateDict.METADATA_KEY,
                json.replace("\"steps\":{\"0\":1}", "\"steps\":{\"0\":0}"))));
        assertEquals(0, target.state(target.paramGroups().get(0).params().get(0)).step(), "step 0 is a count");
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new OptimizerStateDict(
                sd.tensors(), Map.of(OptimizerStateDict.METADATA_KEY,
                json.replace("\"steps\":{\"0\":1}", "\"steps\":{\"0\":-1}")))));
        assertTrue(e.getMessage().contains("non-negative integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(new OptimizerStateDict(
                sd.tensors(), Map.of(OptimizerStateDict.METADATA_KEY, json.replace("\"steps\":{\"0\":1}",
                "\"steps\":{\"2\":1}")))));
        assertTrue(e.getMessage().contains("names parameter 2"), e.getMessage());
    }

    @Test
    void schedulerRangesAcceptTheirEdges() {
        new StepLR(sgd(), 1, 0);
        refused(() -> new StepLR(sgd(), 0, 0.5));
        refused(() -> new StepLR(sgd(), 1, -Double.MIN_VALUE));
        new ExponentialLR(sgd(), 0);
        refused(() -> new ExponentialLR(sgd(), -Double.MIN_VALUE));
        refused(() -> new ExponentialLR(sgd(), Double.POSITIVE_INFINITY));
        new CosineAnnealingLR(sgd(), 1, 0);
        refused(() -> new CosineAnnealingLR(sgd(), 0, 0));
        refused(() -> new CosineAnnealingLR(sgd(), 1, -Double.MIN_VALUE));
        new LinearWarmup(sgd(), 0, 1);
        new LinearWarmup(sgd(), 1, 1);
        refused(() -> new LinearWarmup(sgd(), Math.nextUp(1.0), 1));
        refused(() -> new LinearWarmup(sgd(), -Double.MIN_VALUE, 1));
        refused(() -> new LinearWarmup(sgd(), 0.5, 0));
        SGD opt = sgd();
        new SequentialLR(opt, List.of(new StepLR(opt, 1, 0.5), new StepLR(opt, 1, 0.5)), 1);
        SGD opt2 = sgd();
        refused(() -> new SequentialLR(opt2, List.of(new StepLR(opt2, 1, 0.5), new StepLR(opt2, 1, 0.5)), 0));
        SGD opt3 = sgd();
        refused(() -> new SequentialLR(opt3, List.of(new StepLR(opt3, 1, 0.5), new StepLR(opt3, 1, 0.5),
                new StepLR(opt3, 1, 0.5)), 2, 2));
        SGD opt4 = sgd();
        refused(() -> new SequentialLR(opt4, List.of(new StepLR(opt4, 1, 0.5), new StepLR(opt4, 1, 0.5))));
        assertSame(opt, new StepLR(opt, 2, 0.5).optimizer());
        assertTrue(new StepLR(sgd(), 2, 0.5).toString().startsWith("StepLR"));
    }

    @Test
    void plateauRangesAcceptTheirEdgesAndAChangeOfExactlyEpsIsSkipped() {
        new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().factor(0).patience(0).cooldown(0).threshold(0)
                .eps(0).minLr(0));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().factor(1)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().factor(-Double.MIN_VALUE)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().patience(-1)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().cooldown(-1)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().threshold(-Double.MIN_VALUE)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().eps(-Double.MIN_VALUE)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().minLr(-Double.MIN_VALUE)));
        refused(() -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().minLr(0, 0)));

        SGD opt = new SGD(List.of(param()), 1.0);
        // 1.0 -> 0.5 is a change of exactly eps = 0.5: skipped (PyTorch applies only changes larger than eps)
        var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(0.5).patience(0).eps(0.5));
        plateau.step(1);
        plateau.step(1);
        assertEquals(1.0, opt.paramGroups().get(0).lr());
        var smallerEps = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(0.5).patience(0)
                .eps(0.4999));
        smallerEps.step(1);
        smallerEps.step(1);
        assertEquals(0.5, opt.paramGroups().get(0).lr());
        assertArrayEquals(new double[] {0.5}, smallerEps.lastLr(), 0.0);
        assertEquals(0, smallerEps.cooldownCounter());
    }

    @Test
    void clipGradEdges() {
        Tensor p = param();
        p.mul(Tensor.of(new double[] {3, 4})).sum().backward();        // grad [3, 4], norm 5
        assertEquals(5.0, ClipGrad.clipGradNorm(List.of(p), 0), 1e-12);
        assertArrayEquals(new double[] {0, 0}, p.grad().toDoubleArray(), 1e-6);
        refused(() -> ClipGrad.clipGradNorm(List.of(p), -Double.MIN_VALUE));
        Tensor q = param();
        q.mul(Tensor.of(new double[] {3, 4})).sum().backward();
        ClipGrad.clipGradNorm(List.of(q), 5 + 1e-6);                     // coefficient exactly 1: untouched
        assertArrayEquals(new double[] {3, 4}, q.grad().toDoubleArray(), 0.0);
        ClipGrad.clipGradValue(List.of(q), 0);
        assertArrayEquals(new double[] {0, 0}, q.grad().toDoubleArray(), 0.0);
        refused(() -> ClipGrad.clipGradValue(List.of(q), -Double.MIN_VALUE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipGrad.clipGradNorm(java.util.Arrays.asList(q, null), 1));
        assertTrue(e.getMessage().contains("parameter 1 is null"), e.getMessage());
    }
}
