package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Invalid hyper-parameters and parameter lists are rejected with messages naming optimizer, option and value. */
class ValidationTest {
    private final Tensor w = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
    private final Tensor v = Tensor.zeros(DType.FLOAT64, 2).requiresGrad(true);
    private final List<Tensor> params = List.of(w);

    static void assertMessage(String expected, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(expected), "message was: " + ex.getMessage());
    }

    @Test
    void sgd() {
        assertMessage("SGD: invalid lr = -0.1 (param group 0); expected a finite lr >= 0", () -> new SGD(params, -0.1));
        assertMessage("SGD: option 'lr' has no default and is not set (param group 0); give it in the optimizer's"
                + " options or set it on every param group",
                () -> new SGD(params, SGD.options()));
        assertMessage("SGD: invalid momentum = -0.9 (param group 0); expected a finite momentum >= 0",
                () -> new SGD(params, SGD.options(0.1).momentum(-0.9)));
        assertMessage("SGD: invalid dampening = 1.5 (param group 0); expected 0 <= dampening <= 1",
                () -> new SGD(params, SGD.options(0.1).dampening(1.5)));
        assertMessage("SGD: invalid weightDecay = -1.0E-4 (param group 0); expected a finite weightDecay >= 0",
                () -> new SGD(params, SGD.options(0.1).weightDecay(-1e-4)));
        assertMessage("SGD: invalid nesterov = true (param group 0); expected momentum > 0 and dampening = 0 for"
                + " Nesterov momentum, got momentum = 0.0 and dampening = 0.0",
                () -> new SGD(params, SGD.options(0.1).nesterov(true)));
        assertMessage("SGD: invalid nesterov = true (param group 0); expected momentum > 0 and dampening = 0 for"
                + " Nesterov momentum, got momentum = 0.9 and dampening = 0.1",
                () -> new SGD(params, SGD.options(0.1).momentum(0.9).dampening(0.1).nesterov(true)));
        assertMessage("SGD: invalid lr = NaN", () -> new SGD(List.of(ParamGroup.of(w).set(SGD.LR, Double.NaN)),
                SGD.options(0.1)));
        assertMessage("SGD: invalid lr = Infinity", () -> new SGD(params, Double.POSITIVE_INFINITY));
        SGD perGroup = new SGD(List.of(ParamGroup.of(w).set(SGD.LR, 0.1), ParamGroup.of(v).set(SGD.LR, 0.2)), SGD.options());
        assertEquals(0.2, perGroup.paramGroups().get(1).lr());
    }

    @Test
    void adamAndAdamW() {
        assertMessage("Adam: invalid lr = -0.001 (param group 0); expected a finite lr >= 0",
                () -> new Adam(params, Adam.options().lr(-1e-3)));
        assertMessage("Adam: invalid beta1 = 1.0 (param group 0); expected 0 <= beta1 < 1",
                () -> new Adam(params, Adam.options().betas(1.0, 0.999)));
        assertMessage("Adam: invalid beta2 = -0.1 (param group 0); expected 0 <= beta2 < 1",
                () -> new Adam(params, Adam.options().betas(0.9, -0.1)));
        assertMessage("Adam: invalid eps = -1.0E-8 (param group 0); expected a finite eps >= 0",
                () -> new Adam(params, Adam.options().eps(-1e-8)));
        assertMessage("Adam: invalid weightDecay = -0.01", () -> new Adam(params, Adam.options().weightDecay(-0.01)));
        assertMessage("AdamW: invalid beta1 = 1.5 (param group 0); expected 0 <= beta1 < 1",
                () -> new AdamW(params, AdamW.options().betas(1.5, 0.999)));
        assertMessage("AdamW: invalid weightDecay = -0.01", () -> new AdamW(params, AdamW.options().weightDecay(-0.01)));
    }

    @Test
    void rmsProp() {
        assertMessage("RMSProp: invalid lr = -1.0", () -> new RMSProp(params, RMSProp.options().lr(-1)));
        assertMessage("RMSProp: invalid alpha = 1.5 (param group 0); expected 0 <= alpha <= 1",
                () -> new RMSProp(params, RMSProp.options().alpha(1.5)));
        assertMessage("RMSProp: invalid eps = -1.0", () -> new RMSProp(params, RMSProp.options().eps(-1)));
        assertMessage("RMSProp: invalid momentum = -0.5", () -> new RMSProp(params, RMSProp.options().momentum(-0.5)));
        assertMessage("RMSProp: invalid weightDecay = -1.0",
                () -> new RMSProp(params, RMSProp.options().weightDecay(-1)));
    }

    @Test
    void groupsAreValidatedAndNamed() {
        assertMessage("Adam: invalid lr = -1.0 (param group 1)", () -> new Adam(List.of(ParamGroup.of(w),
                ParamGroup.of(v).set(Adam.LR, -1.0)), Adam.options()));
        assertMessage("SGD: unknown option 'beta1' (param group 0); SGD options are [lr, momentum, dampening,"
                + " weightDecay, nesterov, maximize]",
                () -> new SGD(List.of(ParamGroup.of(w).set(Adam.BETA1, 0.9)), SGD.options(0.1)));
        assertMessage("SGD: unknown option 'beta1' (param group 0); SGD options are",
                () -> new SGD(List.of(ParamGroup.of(List.of(w), Adam.options().betas(0.9, 0.99))), SGD.options(0.1)));
        assertMessage("SGD: unknown option 'lr' (param group 0); SGD options are [lr, momentum, dampening,"
                + " weightDecay, nesterov, maximize] (use SGD's own option keys)",
                () -> new SGD(List.of(ParamGroup.of(w).set(Adam.LR, 0.1)), SGD.options(0.1)));
        assertMessage("SGD: option 'lr' has no default and is not set (param group 0)",
                () -> new SGD(List.of(ParamGroup.of(w)), SGD.options()));
    }

    @Test
    void changesToAnAttachedGroupAreValidatedAndRolledBack() {
        SGD sgd = new SGD(params, SGD.options(0.1).momentum(0.9).nesterov(true));
        ParamGroup g = sgd.paramGroups().get(0);
        assertMessage("SGD: invalid lr = -1.0 (param group 0)", () -> g.setLr(-1));
        assertEquals(0.1, g.lr());
        assertMessage("SGD: invalid nesterov = true", () -> g.set(SGD.MOMENTUM, 0.0));
        assertEquals(0.9, g.get(SGD.MOMENTUM));
        assertMessage("SGD: unknown option 'beta2'", () -> g.set(Adam.BETA2, 0.9));
        g.setLr(0.2);
        assertEquals(0.2, g.lr());
    }

    @Test
    void parameterLists() {
        assertMessage("SGD: got an empty parameter list", () -> new SGD(List.of(), 0.1));
        assertMessage("Adam: a parameter of shape [3] appears more than once across the parameter groups",
                () -> new Adam(List.of(ParamGroup.of(w), ParamGroup.of(v, w)), Adam.options()));
        assertMessage("Adam: a parameter of shape [3] appears more than once",
                () -> new Adam(List.of(w, w)));
        Tensor nonLeaf = w.mul(2);
        assertMessage("RMSProp: can't optimize a non-leaf tensor (produced by 'mul')",
                () -> new RMSProp(List.of(nonLeaf)));
        ParamGroup g = ParamGroup.of(v);
        new SGD(List.of(g), SGD.options(0.1));
        assertMessage("SGD: this param group already belongs to SGD", () -> new SGD(List.of(g), SGD.options(0.1)));
        SGD sgd = new SGD(params, 0.1);
        assertMessage("SGD: a parameter of shape [3] appears more than once",
                () -> sgd.addParamGroup(ParamGroup.of(w)));
        assertEquals(1, sgd.paramGroups().size());
    }

    @Test
    void newOptimizers() {
        assertMessage("Adagrad: invalid lr = -0.1 (param group 0); expected a finite lr >= 0",
                () -> new Adagrad(params, Adagrad.options().lr(-0.1)));
        assertMessage("Adagrad: invalid lrDecay = -1.0", () -> new Adagrad(params, Adagrad.options().lrDecay(-1)));
        assertMessage("Adagrad: invalid initialAccumulatorValue = -0.5",
                () -> new Adagrad(params, Adagrad.options().initialAccumulatorValue(-0.5)));
        assertMessage("Adagrad: invalid eps = NaN", () -> new Adagrad(params, Adagrad.options().eps(Double.NaN)));
        assertMessage("Adadelta: invalid rho = 1.5 (param group 0); expected 0 <= rho <= 1",
                () -> new Adadelta(params, Adadelta.options().rho(1.5)));
        assertMessage("Adadelta: invalid weightDecay = -1.0", () -> new Adadelta(params, Adadelta.options().weightDecay(-1)));
        assertMessage("Adamax: invalid beta1 = 1.0 (param group 0); expected 0 <= beta1 < 1",
                () -> new Adamax(params, Adamax.options().betas(1.0, 0.999)));
        assertMessage("Adamax: invalid beta2 = -0.1", () -> new Adamax(params, Adamax.options().betas(0.9, -0.1)));
        assertMessage("NAdam: invalid momentumDecay = -0.004 (param group 0); expected a finite momentumDecay >= 0",
                () -> new NAdam(params, NAdam.options().momentumDecay(-4e-3)));
        assertMessage("NAdam: invalid beta2 = 1.0", () -> new NAdam(params, NAdam.options().betas(0.9, 1.0)));
        assertMessage("RAdam: invalid eps = -1.0E-8", () -> new RAdam(params, RAdam.options().eps(-1e-8)));
        assertMessage("RAdam: invalid beta1 = -0.9", () -> new RAdam(params, RAdam.options().betas(-0.9, 0.999)));
        assertMessage("Rprop: invalid etaMinus = 1.0 (param group 0); expected 0 < etaMinus < 1",
                () -> new Rprop(params, Rprop.options().etas(1.0, 1.2)));
        assertMessage("Rprop: invalid etaPlus = 0.9 (param group 0); expected a finite etaPlus > 1",
                () -> new Rprop(params, Rprop.options().etas(0.5, 0.9)));
        assertMessage("Rprop: invalid stepSizeMax = 1.0E-7 (param group 0); expected stepSizeMax >= stepSizeMin (1.0E-6)",
                () -> new Rprop(params, Rprop.options().stepSizes(1e-6, 1e-7)));
        assertMessage("Rprop: invalid stepSizeMin = -1.0", () -> new Rprop(params, Rprop.options().stepSizes(-1, 1)));
        assertMessage("NAdam: unknown option 'maximize' (param group 0)",
                () -> new NAdam(List.of(ParamGroup.of(params, Adam.options().maximize(true))), NAdam.options()));
        assertMessage("option 'maxIter' must be an integer, got 2.5",
                () -> new LBFGS(params).paramGroups().get(0).set((Option) LBFGS.MAX_ITER, 2.5));
    }
}
