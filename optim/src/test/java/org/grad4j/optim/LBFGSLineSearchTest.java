package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * L-BFGS with the strong-Wolfe line search against the line-by-line transcription of torch's algorithm
 * ({@link References.LbfgsRef}) on objectives whose line searches bracket, zoom, hit the bracket's ends and run
 * out of evaluations: a steep 4-d Rosenbrock, a wiggly sine landscape and a flat-tailed log objective, each with
 * its gradient written by hand, from several starts and step sizes. Every step's loss, the parameters and the
 * evaluation and iteration counts must agree.
 */
class LBFGSLineSearchTest {
    /** Relative: a few steps of float64 arithmetic in different summation orders. */
    private static final double TOLERANCE = 1e-9;

    /** An objective written twice: with tensor ops for grad4j, with plain doubles and a hand gradient for the reference. */
    private record Problem(String name, Function<Tensor, Tensor> tensor, References.Objective plain) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Problem ROSENBROCK = new Problem("rosenbrock",
            p -> {
                Tensor head = p.narrow(0, 0, 3);
                Tensor tail = p.narrow(0, 1, 3);
                return tail.sub(head.square()).square().mul(100).add(head.rsub(1).square()).sum();
            },
            (w, g) -> {
                java.util.Arrays.fill(g, 0);
                double f = 0;
                for (int i = 0; i < 3; i++) {
                    double r = w[i + 1] - w[i] * w[i];
                    f += 100 * r * r + (1 - w[i]) * (1 - w[i]);
                    g[i] += -400 * r * w[i] - 2 * (1 - w[i]);
                    g[i + 1] += 200 * r;
                }
                return f;
            });

    private static final Problem WIGGLY = new Problem("wiggly",
            p -> p.mul(3).sin().add(p.square().mul(0.1)).sum(),
            (w, g) -> {
                double f = 0;
                for (int i = 0; i < w.length; i++) {
                    f += Math.sin(3 * w[i]) + 0.1 * w[i] * w[i];
                    g[i] = 3 * Math.cos(3 * w[i]) + 0.2 * w[i];
                }
                return f;
            });

    private static final Problem LOG = new Problem("log",
            p -> p.square().log1p().sum().add(p.select(0, 0).mul(0.3)),
            (w, g) -> {
                double f = 0.3 * w[0];
                for (int i = 0; i < w.length; i++) {
                    f += Math.log1p(w[i] * w[i]);
                    g[i] = 2 * w[i] / (1 + w[i] * w[i]);
                }
                g[0] += 0.3;
                return f;
            });

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        double[][] starts = {{-1.2, 1.0, -0.5, 2.0}, {2.5, -1.5, 0.7, 0.1}};
        for (Problem problem : List.of(ROSENBROCK, WIGGLY, LOG)) {
            for (double[] start : starts) {
                for (double lr : new double[] {1, 4, 0.05}) {
                    for (int maxIter : new int[] {3, 12}) {
                        int maxEval = maxIter == 3 ? 5 : maxIter * 5 / 4;
                        cases.add(Arguments.of(problem, start, LBFGS.options().lr(lr).maxIter(maxIter)
                                .maxEval(maxEval).historySize(4).lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE)));
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @MethodSource("cases")
    void strongWolfeStepsMatchTheTranscriptionOfTorch(Problem problem, double[] start, LBFGS.Options options) {
        Tensor p = Tensor.of(start.clone()).requiresGrad(true);
        LBFGS lbfgs = new LBFGS(List.of(p), options);
        References.LbfgsRef ref = LBFGSTest.reference(lbfgs.paramGroups().get(0));
        double[] w = start.clone();
        for (int step = 0; step < 3; step++) {
            double expected = ref.step(problem.plain(), w);
            double actual = lbfgs.step(() -> {
                lbfgs.zeroGrad();
                Tensor loss = problem.tensor().apply(p);
                loss.backward();
                return loss;
            }).item();
            assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), "loss of step " + step);
        }
        double[] actual = p.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], actual[i], TOLERANCE * Math.max(1, Math.abs(w[i])), "parameter " + i);
        }
        lbfgs.stateDict();                                     // writes the counters into the parameter's state
        assertEquals(ref.funcEvals, lbfgs.state(p).scalar("funcEvals", Double.NaN), 0.0, "funcEvals");
        assertEquals(ref.nIter, lbfgs.state(p).scalar("nIter", Double.NaN), 0.0, "nIter");
        assertTrue(lbfgs.state(p).scalarNames().containsAll(List.of("funcEvals", "nIter")));
        assertTrue(lbfgs.state(p).toString().contains(", {funcEvals=" + (double) ref.funcEvals),
                lbfgs.state(p).toString());
    }
}
