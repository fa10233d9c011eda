package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Step and zeroGrad semantics, state names, dtypes and the memory an update takes. */
class OptimizerBehaviourTest {

    @Test
    void parametersWithANullGradAreSkipped() {
        Tensor x = TestProblem.x();
        Tensor frozen = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        Adam adam = new Adam(List.of(x, frozen), Adam.options().lr(0.1).weightDecay(0.5));
        for (int i = 0; i < 3; i++) {
            adam.zeroGrad();
            x.square().sum().backward();
            adam.step();
        }
        assertArrayEquals(new double[] {1, 2}, frozen.toDoubleArray(), 0.0);   // even with weight decay
        assertNull(adam.state(frozen));
        assertEquals(3, adam.state(x).step());
        // a parameter that starts getting grads later has its own step count, as in PyTorch
        frozen.setGrad(Tensor.of(new double[] {1, 1}));
        adam.step();
        assertEquals(1, adam.state(frozen).step());
        assertEquals(4, adam.state(x).step());
    }

    @Test
    void zeroGradSetsGradsToNullOrToZeros() {
        Tensor x = TestProblem.x();
        SGD sgd = new SGD(List.of(x), 0.1);
        x.square().sum().backward();
        Tensor g = x.grad();
        sgd.zeroGrad(false);
        assertSame(g, x.grad());
        assertArrayEquals(new double[] {0, 0, 0}, g.toDoubleArray(), 0.0);
        sgd.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void updatesAreInPlaceAndWorkWhileGradModeIsOn() {
        Tensor x = TestProblem.x();
        SGD sgd = new SGD(List.of(x), 0.5);
        x.square().sum().backward();
        int version = x.version();
        assertTrue(Grad.isEnabled());
        sgd.step();
        assertTrue(Grad.isEnabled());
        assertTrue(x.version() > version);
        assertTrue(x.requiresGrad() && x.isLeaf());
        assertArrayEquals(new double[] {0, 0, 0}, x.toDoubleArray(), 0.0);     // x - 0.5 * 2x
        assertNull(sgd.state(x).tensor("momentumBuffer"));
    }

    @Test
    void closureStepReturnsTheLoss() {
        Tensor x = TestProblem.x();
        SGD sgd = new SGD(List.of(x), 0.1);
        Tensor loss;
        try (Grad.Scope off = Grad.disabled()) {                // the closure still records its graph
            loss = sgd.step(() -> {
                sgd.zeroGrad();
                Tensor l = x.square().sum();
                l.backward();
                return l;
            });
        }
        assertEquals(1.44 + 1 + 0.25, loss.item(), 1e-12);
        assertEquals(-1.2 * 0.8, x.get(0), 1e-15);
    }

    @Test
    void stateNamesFollowPyTorch() {
        assertEquals(Set.of("momentumBuffer"), names(ps -> new SGD(ps, SGD.options(0.1).momentum(0.9))));
        assertEquals(Set.of(), names(ps -> new SGD(ps, 0.1)));
        assertEquals(Set.of("expAvg", "expAvgSq"), names(Adam::new));
        assertEquals(Set.of("expAvg", "expAvgSq", "maxExpAvgSq"), names(ps -> new AdamW(ps, AdamW.options().amsgrad(true))));
        assertEquals(Set.of("squareAvg"), names(RMSProp::new));
        assertEquals(Set.of("squareAvg", "momentumBuffer", "gradAvg"),
                names(ps -> new RMSProp(ps, RMSProp.options().momentum(0.1).centered(true))));
    }

    private static Set<String> names(Function<List<Tensor>, Optimizer> make) {
        Tensor x = TestProblem.x();
        Optimizer opt = make.apply(List.of(x));
        x.square().sum().backward();
        opt.step();
        return opt.state(x).names();
    }

    @Test
    void float32ParametersStayFloat32AndFollowTheReference() {
        Tensor x = Tensor.of(new float[] {-1.2f, 1.0f, 0.5f}).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {0.7f, -0.4f}).requiresGrad(true);
        Adam adam = new Adam(List.of(x, y), Adam.options().lr(0.05).amsgrad(true).weightDecay(0.1));
        double[] actual = TestProblem.run(adam, x, y, false, TestProblem.STEPS);
        assertEquals(DType.FLOAT32, x.dtype());
        assertEquals(DType.FLOAT32, adam.state(x).tensor("expAvg").dtype());
        double[] expected = TestProblem.runReference(
                new References.AdamRef(0.05, 0.9, 0.999, 1e-8, 0.1, true, false, false),
                new References.AdamRef(0.05, 0.9, 0.999, 1e-8, 0.1, true, false, false), false, TestProblem.STEPS);
        assertArrayEquals(expected, actual, 2e-5);
    }

    @Test
    void addParamGroupAfterConstruction() {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        SGD sgd = new SGD(List.of(x), SGD.options(0.01).momentum(0.9));
        sgd.addParamGroup(ParamGroup.of(y).set(SGD.LR, 0.1));
        ParamGroup g = sgd.paramGroups().get(1);
        assertEquals(0.1, g.lr());
        assertEquals(0.9, g.get(SGD.MOMENTUM));                   // from the defaults
        assertEquals(false, g.get(SGD.NESTEROV));
        assertEquals(List.of(y), g.params());
    }

    // ----------------------------------------------------------------------------------------------- memory

    /**
     * Bytes allocated by one step after warm-up, for one parameter of {@code n} doubles. Only the optimizer's state
     * and scratch buffers (created on the first step) may be parameter-sized; a step itself allocates only small
     * objects (each scalar operand of an in-place op is a 0-d tensor, plus loop bookkeeping).
     */
    private static final long QUIET_STEP_BYTES = 16 * 1024;

    private static long bytesPerStep(Function<List<Tensor>, Optimizer> make, int n) {
        Tensor p = Tensor.randn(new java.util.SplittableRandom(1), DType.FLOAT64, n).requiresGrad(true);
        Optimizer opt = make.apply(List.of(p));
        p.setGrad(Tensor.randn(new java.util.SplittableRandom(2), DType.FLOAT64, n));
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        // Until C2 has compiled the SIMD kernels, each vector is a heap object; how many steps that takes depends on
        // the JIT's background threads, so measure the quietest of many steps rather than after a fixed warm-up.
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 400 && best > QUIET_STEP_BYTES; i++) {
            long before = bean.getThreadAllocatedBytes(tid);
            opt.step();
            best = Math.min(best, bean.getThreadAllocatedBytes(tid) - before);
        }
        return best;
    }

    @Test
    void aStepAllocatesNothingParameterSized() {
        int n = 1 << 17;
        long paramBytes = 8L * n;                              // 1 MiB
        long small = 64 * 1024;                                // 0-d scalars, loop bookkeeping
        long sgd = bytesPerStep(ps -> new SGD(ps, SGD.options(0.1).momentum(0.9).nesterov(true).weightDecay(0.01)
                .maximize(true)), n);
        assertTrue(sgd < small, "SGD step allocated " + sgd + " bytes");
        long sgdDampening = bytesPerStep(ps -> new SGD(ps, SGD.options(0.1).momentum(0.9).dampening(0.5)), n);
        assertTrue(sgdDampening < small, "SGD step allocated " + sgdDampening + " bytes");
        long adam = bytesPerStep(ps -> new Adam(ps, Adam.options().amsgrad(true).weightDecay(0.1)), n);
        assertTrue(adam < small, "Adam step allocated " + adam + " bytes");
        long adamw = bytesPerStep(ps -> new AdamW(ps, AdamW.options().maximize(true)), n);
        assertTrue(adamw < small, "AdamW step allocated " + adamw + " bytes");
        long rms = bytesPerStep(ps -> new RMSProp(ps, RMSProp.options().momentum(0.5).centered(true).weightDecay(0.1)), n);
        assertTrue(rms < small, "RMSProp step allocated " + rms + " bytes (parameter: " + paramBytes + ")");
        System.out.printf("bytes per step for a %d-element float64 parameter: SGD %d, SGD(dampening) %d, Adam %d,"
                + " AdamW %d, RMSProp %d%n", n, sgd, sgdDampening, adam, adamw, rms);
    }

    @Test
    void newOptimizersAllocateNothingParameterSizedPerStep() {
        int n = 1 << 17;
        long small = 64 * 1024;
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                ps -> new Adagrad(ps, Adagrad.options().lrDecay(0.01).weightDecay(0.1).maximize(true)),
                ps -> new Adadelta(ps, Adadelta.options().weightDecay(0.1)),
                ps -> new Adamax(ps, Adamax.options().weightDecay(0.1).maximize(true)),
                ps -> new NAdam(ps, NAdam.options().weightDecay(0.1)),
                ps -> new RAdam(ps, RAdam.options().weightDecay(0.1)));
        StringBuilder report = new StringBuilder();
        for (var make : makers) {
            long bytes = bytesPerStep(make, n);
            String name = make.apply(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true))).name();
            assertTrue(bytes < small, name + " step allocated " + bytes + " bytes");
            report.append(' ').append(name).append(' ').append(bytes);
        }
        System.out.printf("bytes per step for a %d-element float64 parameter:%s%n", n, report);
    }

    @Test
    void newOptimizersStateNamesFollowPyTorch() {
        assertEquals(Set.of("sum"), names(Adagrad::new));
        assertEquals(Set.of("squareAvg", "accDelta"), names(Adadelta::new));
        assertEquals(Set.of("expAvg", "expInf"), names(Adamax::new));
        assertEquals(Set.of("expAvg", "expAvgSq"), names(NAdam::new));
        assertEquals(Set.of("expAvg", "expAvgSq"), names(RAdam::new));
        assertEquals(Set.of("prev", "stepSize"), names(Rprop::new));
    }

    @Test
    void float32NewOptimizersFollowTheReference() {
        record Case(Function<List<Tensor>, Optimizer> make, java.util.function.Supplier<TestProblem.Reference> ref) {
        }
        List<Case> cases = List.of(
                new Case(ps -> new Adagrad(ps, Adagrad.options().lr(0.1).weightDecay(0.05)),
                        () -> new References.AdagradRef(0.1, 0, 0.05, 0, 1e-10, false)),
                new Case(ps -> new Adadelta(ps, Adadelta.options().eps(1e-2)),
                        () -> new References.AdadeltaRef(1.0, 0.9, 1e-2, 0, false)),
                new Case(ps -> new Adamax(ps, Adamax.options().lr(0.05)),
                        () -> new References.AdamaxRef(0.05, 0.9, 0.999, 1e-8, 0, false)),
                new Case(ps -> new NAdam(ps, NAdam.options().lr(0.05)),
                        () -> new References.NAdamRef(0.05, 0.9, 0.999, 1e-8, 0, 4e-3)),
                new Case(ps -> new RAdam(ps, RAdam.options().lr(0.05).betas(0.9, 0.9)),
                        () -> new References.RAdamRef(0.05, 0.9, 0.9, 1e-8, 0)),
                new Case(ps -> new Rprop(ps, Rprop.options().lr(0.02)),
                        () -> new References.RpropRef(0.02, 0.5, 1.2, 1e-6, 50, false)));
        for (Case c : cases) {
            Tensor x = Tensor.of(new float[] {-1.2f, 1.0f, 0.5f}).requiresGrad(true);
            Tensor y = Tensor.of(new float[] {0.7f, -0.4f}).requiresGrad(true);
            Optimizer opt = c.make().apply(List.of(x, y));
            double[] actual = TestProblem.run(opt, x, y, false, TestProblem.STEPS);
            for (String name : opt.state(x).names()) {
                assertEquals(DType.FLOAT32, opt.state(x).tensor(name).dtype(), opt.name() + " " + name);
            }
            double[] expected = TestProblem.runReference(c.ref().get(), c.ref().get(), false, TestProblem.STEPS);
            assertArrayEquals(expected, actual, 1e-4, opt.name());
        }
    }
}
