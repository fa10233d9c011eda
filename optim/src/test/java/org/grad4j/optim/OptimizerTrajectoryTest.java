package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, over every combination of its options, runs 25 float64 steps on {@link TestProblem#f} (gradients
 * by grad4j's backward) and must end within 1e-10 of the plain-double reference in {@link References} (gradients
 * written out by hand). Maximize cases minimise f by maximizing -f.
 */
class OptimizerTrajectoryTest {
    static final double TOLERANCE = 1e-10;

    record Case(String name, BiFunction<Tensor, Tensor, Optimizer> make,
            Supplier<TestProblem.Reference[]> references, boolean negate) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        double lr = 0.01;
        for (double momentum : new double[] {0, 0.9}) {
            for (double dampening : new double[] {0, 0.3}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    if (nesterov && (momentum == 0 || dampening != 0)) {
                        continue;
                    }
                    for (double wd : new double[] {0, 0.05}) {
                        for (boolean maximize : new boolean[] {false, true}) {
                            var opts = SGD.options(lr).momentum(momentum).dampening(dampening).nesterov(nesterov)
                                    .weightDecay(wd).maximize(maximize);
                            cases.add(new Case(String.format("SGD momentum=%s dampening=%s nesterov=%s wd=%s maximize=%s",
                                    momentum, dampening, nesterov, wd, maximize),
                                    (x, y) -> new SGD(List.of(x, y), opts),
                                    () -> twice(() -> new References.Sgd(lr, momentum, dampening, wd, nesterov, maximize)),
                                    maximize));
                        }
                    }
                }
            }
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            String name = decoupled ? "AdamW" : "Adam";
            double[][] betasList = {{0.9, 0.999}, {0.8, 0.95}};
            double[] decays = decoupled ? new double[] {0, 1e-2, 0.1} : new double[] {0, 0.1};
            for (double[] betas : betasList) {
                for (double wd : decays) {
                    for (boolean amsgrad : new boolean[] {false, true}) {
                        for (boolean maximize : new boolean[] {false, true}) {
                            var opts = Adam.options().lr(0.05).betas(betas[0], betas[1]).amsgrad(amsgrad)
                                    .maximize(maximize);
                            if (!(decoupled && wd == 1e-2)) {
                                opts.weightDecay(wd);                      // AdamW's 1e-2 comes from its default
                            }
                            cases.add(new Case(String.format("%s betas=(%s, %s) wd=%s amsgrad=%s maximize=%s", name,
                                    betas[0], betas[1], wd, amsgrad, maximize),
                                    (x, y) -> decoupled ? new AdamW(List.of(x, y), opts) : new Adam(List.of(x, y), opts),
                                    () -> twice(() -> new References.AdamRef(0.05, betas[0], betas[1], 1e-8, wd,
                                            amsgrad, maximize, decoupled)),
                                    maximize));
                        }
                    }
                }
            }
            cases.add(new Case(name + " eps=1e-3", (x, y) -> decoupled
                    ? new AdamW(List.of(x, y), AdamW.options().lr(0.05).eps(1e-3))
                    : new Adam(List.of(x, y), Adam.options().lr(0.05).eps(1e-3)),
                    () -> twice(() -> new References.AdamRef(0.05, 0.9, 0.999, 1e-3, decoupled ? 1e-2 : 0, false,
                            false, decoupled)),
                    false));
        }
        for (double alpha : new double[] {0.99, 0.9}) {
            for (double momentum : new double[] {0, 0.5}) {
                for (boolean centered : new boolean[] {false, true}) {
                    for (double wd : new double[] {0, 0.05}) {
                        for (boolean maximize : new boolean[] {false, true}) {
                            var opts = RMSProp.options().lr(0.01).alpha(alpha).momentum(momentum).centered(centered)
                                    .weightDecay(wd).maximize(maximize);
                            cases.add(new Case(String.format("RMSProp alpha=%s momentum=%s centered=%s wd=%s maximize=%s",
                                    alpha, momentum, centered, wd, maximize),
                                    (x, y) -> new RMSProp(List.of(x, y), opts),
                                    () -> twice(() -> new References.RmsProp(0.01, alpha, 1e-8, wd, momentum, centered,
                                            maximize)),
                                    maximize));
                        }
                    }
                }
            }
        }
        for (double lrDecay : new double[] {0, 0.05}) {
            for (double wd : new double[] {0, 0.05}) {
                for (double initial : new double[] {0, 0.5}) {
                    for (boolean maximize : new boolean[] {false, true}) {
                        var opts = Adagrad.options().lr(0.1).lrDecay(lrDecay).weightDecay(wd)
                                .initialAccumulatorValue(initial).maximize(maximize);
                        cases.add(new Case(String.format("Adagrad lrDecay=%s wd=%s initial=%s maximize=%s", lrDecay,
                                wd, initial, maximize), (x, y) -> new Adagrad(List.of(x, y), opts),
                                () -> twice(() -> new References.AdagradRef(0.1, lrDecay, wd, initial, 1e-10, maximize)),
                                maximize));
                    }
                }
            }
        }
        for (double rho : new double[] {0.9, 0.8}) {
            for (double wd : new double[] {0, 0.05}) {
                for (boolean maximize : new boolean[] {false, true}) {
                    var opts = Adadelta.options().eps(1e-2).rho(rho).weightDecay(wd).maximize(maximize);
                    cases.add(new Case(String.format("Adadelta rho=%s wd=%s maximize=%s", rho, wd, maximize),
                            (x, y) -> new Adadelta(List.of(x, y), opts),
                            () -> twice(() -> new References.AdadeltaRef(1.0, rho, 1e-2, wd, maximize)), maximize));
                }
            }
        }
        double[][] betaPairs = {{0.9, 0.999}, {0.8, 0.95}, {0.9, 0.9}};
        for (double[] betas : betaPairs) {
            for (double wd : new double[] {0, 0.1}) {
                for (boolean maximize : new boolean[] {false, true}) {
                    var opts = Adamax.options().lr(0.05).betas(betas[0], betas[1]).weightDecay(wd).maximize(maximize);
                    cases.add(new Case(String.format("Adamax betas=(%s, %s) wd=%s maximize=%s", betas[0], betas[1],
                            wd, maximize), (x, y) -> new Adamax(List.of(x, y), opts),
                            () -> twice(() -> new References.AdamaxRef(0.05, betas[0], betas[1], 1e-8, wd, maximize)),
                            maximize));
                }
                for (double momentumDecay : new double[] {4e-3, 0.05}) {
                    var opts = NAdam.options().lr(0.05).betas(betas[0], betas[1]).weightDecay(wd)
                            .momentumDecay(momentumDecay);
                    cases.add(new Case(String.format("NAdam betas=(%s, %s) wd=%s momentumDecay=%s", betas[0],
                            betas[1], wd, momentumDecay), (x, y) -> new NAdam(List.of(x, y), opts),
                            () -> twice(() -> new References.NAdamRef(0.05, betas[0], betas[1], 1e-8, wd,
                                    momentumDecay)), false));
                }
                var radam = RAdam.options().lr(0.05).betas(betas[0], betas[1]).weightDecay(wd);
                cases.add(new Case(String.format("RAdam betas=(%s, %s) wd=%s", betas[0], betas[1], wd),
                        (x, y) -> new RAdam(List.of(x, y), radam),
                        () -> twice(() -> new References.RAdamRef(0.05, betas[0], betas[1], 1e-8, wd)), false));
            }
        }
        double[][] etaPairs = {{0.5, 1.2}, {0.3, 1.5}};
        double[][] stepSizePairs = {{1e-6, 50}, {1e-3, 0.2}};
        for (double[] etas : etaPairs) {
            for (double[] sizes : stepSizePairs) {
                for (boolean maximize : new boolean[] {false, true}) {
                    var opts = Rprop.options().lr(0.02).etas(etas[0], etas[1]).stepSizes(sizes[0], sizes[1])
                            .maximize(maximize);
                    cases.add(new Case(String.format("Rprop etas=(%s, %s) stepSizes=(%s, %s) maximize=%s", etas[0],
                            etas[1], sizes[0], sizes[1], maximize), (x, y) -> new Rprop(List.of(x, y), opts),
                            () -> twice(() -> new References.RpropRef(0.02, etas[0], etas[1], sizes[0], sizes[1],
                                    maximize)), maximize));
                }
            }
        }
        cases.add(new Case("NAdam groups", (x, y) -> new NAdam(List.of(ParamGroup.of(x),
                ParamGroup.of(y).set(NAdam.LR, 0.1).set(NAdam.BETA1, 0.5)), NAdam.options().lr(0.05)),
                () -> new TestProblem.Reference[] {new References.NAdamRef(0.05, 0.9, 0.999, 1e-8, 0, 4e-3),
                    new References.NAdamRef(0.1, 0.5, 0.999, 1e-8, 0, 4e-3)}, false));
        cases.add(new Case("Rprop groups", (x, y) -> new Rprop(List.of(ParamGroup.of(x),
                ParamGroup.of(List.of(y), Rprop.options().lr(0.05).etas(0.3, 1.5))), Rprop.options()),
                () -> new TestProblem.Reference[] {new References.RpropRef(0.01, 0.5, 1.2, 1e-6, 50, false),
                    new References.RpropRef(0.05, 0.3, 1.5, 1e-6, 50, false)}, false));
        // parameter groups with different options: x and y each follow their own group's reference
        cases.add(new Case("SGD groups", (x, y) -> new SGD(List.of(ParamGroup.of(x),
                ParamGroup.of(y).set(SGD.LR, 0.05).set(SGD.MOMENTUM, 0.9).set(SGD.NESTEROV, true)), SGD.options(0.01)),
                () -> new TestProblem.Reference[] {new References.Sgd(0.01, 0, 0, 0, false, false),
                    new References.Sgd(0.05, 0.9, 0, 0, true, false)}, false));
        cases.add(new Case("Adam groups", (x, y) -> new Adam(List.of(
                ParamGroup.of(List.of(x), Adam.options().amsgrad(true).weightDecay(0.1)),
                ParamGroup.of(y).set(Adam.BETA1, 0.5)), Adam.options().lr(0.05)),
                () -> new TestProblem.Reference[] {new References.AdamRef(0.05, 0.9, 0.999, 1e-8, 0.1, true, false, false),
                    new References.AdamRef(0.05, 0.5, 0.999, 1e-8, 0, false, false, false)}, false));
        cases.add(new Case("RMSProp groups", (x, y) -> new RMSProp(List.of(
                ParamGroup.of(x).set(RMSProp.CENTERED, true), ParamGroup.of(y).set(RMSProp.MOMENTUM, 0.3).set(RMSProp.LR, 0.02)),
                RMSProp.options()),
                () -> new TestProblem.Reference[] {new References.RmsProp(0.01, 0.99, 1e-8, 0, 0, true, false),
                    new References.RmsProp(0.02, 0.99, 1e-8, 0, 0.3, false, false)}, false));
        return cases.stream().map(Arguments::of);
    }

    private static TestProblem.Reference[] twice(Supplier<TestProblem.Reference> make) {
        return new TestProblem.Reference[] {make.get(), make.get()};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReferenceAlgorithm(Case c) {
        Tensor x = TestProblem.x();
        Tensor y = TestProblem.y();
        double[] actual = TestProblem.run(c.make().apply(x, y), x, y, c.negate(), TestProblem.STEPS);
        TestProblem.Reference[] refs = c.references().get();
        double[] expected = TestProblem.runReference(refs[0], refs[1], c.negate(), TestProblem.STEPS);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, c.name() + ": parameter value " + i);
        }
        // the run must have moved: guards against a no-op optimizer matching a no-op reference
        double moved = 0;
        double[] start = {TestProblem.X0[0], TestProblem.X0[1], TestProblem.X0[2], TestProblem.Y0[0], TestProblem.Y0[1]};
        for (int i = 0; i < start.length; i++) {
            moved = Math.max(moved, Math.abs(actual[i] - start[i]));
        }
        org.junit.jupiter.api.Assertions.assertTrue(moved > 0.05, c.name() + ": parameters barely moved (" + moved + ")");
    }
}
