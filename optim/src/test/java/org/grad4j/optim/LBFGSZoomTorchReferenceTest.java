package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.grad4j.core.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * L-BFGS with the strong-Wolfe line search against values produced by real {@code torch.optim.LBFGS} (script
 * {@code generate_lbfgs_zoom_reference.py} in this module's test resources, output {@code lbfgs_zoom_reference.txt}).
 * The objectives and step sizes were chosen, by tracing the lines torch's {@code _strong_wolfe} runs, so that
 * together they reach every branch of the line search: each end of the bracketing phase and its 25-evaluation limit,
 * both bracket updates of the zoom, its moves away from the lower and the upper end after insufficient progress, and
 * its stop on a bracket narrower than the tolerance. Every step's loss, the final parameters and the evaluation and
 * iteration counts must agree.
 */
class LBFGSZoomTorchReferenceTest {
    /** Relative: a few steps of float64 arithmetic in different summation and pow orders. */
    private static final double TOLERANCE = 1e-9;

    private static final Map<String, Function<Tensor, Tensor>> OBJECTIVES = Map.ofEntries(
            Map.entry("doubleWell", x -> x.pow(4).sub(x.square().mul(2)).sum().add(x.select(0, 0).mul(0.5))),
            Map.entry("pseudoHuber", x -> x.mul(3).square().add(1).sqrt().sum().add(x.select(0, 1).mul(0.2))),
            Map.entry("exps", x -> x.exp().add(x.mul(-2).exp()).sum()),
            Map.entry("rosenbrock", x -> {
                Tensor x0 = x.select(0, 0);
                return x.select(0, 1).sub(x0.square()).square().mul(100).add(x0.rsub(1).square());
            }),
            Map.entry("steepQuadratic", x -> Tensor.of(new double[] {1e-4, 3e-4, 2e-4})
                    .mul(x.sub(Tensor.of(new double[] {1, -2, 0.5})).square()).sum()),
            Map.entry("cosine", x -> x.mul(2).cos().sum().add(x.square().sum().mul(0.05))),
            Map.entry("kink", x -> x.square().add(1e-6).sqrt().sum().add(x.select(0, 0).mul(0.3))),
            Map.entry("wavy", x -> x.square().add(x.mul(12).sin().mul(0.5)).sum()),
            Map.entry("sharp", x -> x.square().add(1e-12).sqrt().sum()),
            Map.entry("arctan", x -> x.mul(3).atan().sum().add(x.square().sum().mul(0.02))),
            Map.entry("softLinear", x -> x.neg().add(x.square().log1p().mul(0.01)).sum()),
            Map.entry("wobbly", x -> x.neg().add(x.mul(3).sin().mul(0.04)).sum()));

    private static final Map<String, double[]> STARTS = Map.ofEntries(
            Map.entry("doubleWell", new double[] {1.8, -0.3, 0.9}),
            Map.entry("pseudoHuber", new double[] {4.0, -2.5}),
            Map.entry("exps", new double[] {2.0, -1.5}),
            Map.entry("rosenbrock", new double[] {-1.9, 2.0}),
            Map.entry("steepQuadratic", new double[] {3.0, 1.0, -1.0}),
            Map.entry("cosine", new double[] {0.3, 2.9, -1.2}),
            Map.entry("kink", new double[] {1.3, -0.7}),
            Map.entry("wavy", new double[] {1.1, -0.4, 0.25}),
            Map.entry("sharp", new double[] {0.8, -0.35}),
            Map.entry("arctan", new double[] {3.0}),
            Map.entry("softLinear", new double[] {0.5}),
            Map.entry("wobbly", new double[] {0.0}));

    /** One line of the reference file. */
    record Case(String name, String objective, double lr, int maxIter, int history, double[] losses, double[] last,
                int evals, int iters) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (var in = LBFGSZoomTorchReferenceTest.class.getResourceAsStream("/lbfgs_zoom_reference.txt")) {
            assertNotNull(in, "lbfgs_zoom_reference.txt on the test class path");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) continue;
                List<String> words = Arrays.asList(line.trim().split(" "));
                String name = words.get(0);
                String[] settings = name.split("/");
                int losses = words.indexOf("losses");
                int last = words.indexOf("final");
                int evals = words.indexOf("evals");
                int iters = words.indexOf("iters");
                out.add(Arguments.of(new Case(name, settings[0], value(settings[1]), (int) value(settings[2]),
                        (int) value(settings[3]), numbers(words.subList(losses + 1, last)),
                        numbers(words.subList(last + 1, evals)), Integer.parseInt(words.get(evals + 1)),
                        Integer.parseInt(words.get(iters + 1)))));
            }
        }
        return out.stream();
    }

    private static double value(String setting) {
        return Double.parseDouble(setting.substring(setting.indexOf('=') + 1));
    }

    private static double[] numbers(List<String> words) {
        return words.stream().mapToDouble(Double::parseDouble).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void strongWolfeStepsMatchTorch(Case c) {
        Function<Tensor, Tensor> objective = OBJECTIVES.get(c.objective());
        Tensor p = Tensor.of(STARTS.get(c.objective()).clone()).requiresGrad(true);
        LBFGS lbfgs = new LBFGS(List.of(p), LBFGS.options().lr(c.lr()).maxIter(c.maxIter()).historySize(c.history())
                .lineSearchFn(LBFGS.LineSearch.STRONG_WOLFE));
        for (int step = 0; step < c.losses().length; step++) {
            double expected = c.losses()[step];
            double actual = lbfgs.step(() -> {
                lbfgs.zeroGrad();
                Tensor loss = objective.apply(p);
                loss.backward();
                return loss;
            }).item();
            assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), "loss of step " + step);
        }
        double[] actual = p.toDoubleArray();
        for (int i = 0; i < actual.length; i++) {
            assertEquals(c.last()[i], actual[i], TOLERANCE * Math.max(1, Math.abs(c.last()[i])), "parameter " + i);
        }
        lbfgs.stateDict();                                     // writes the counters into the parameter's state
        assertEquals(c.evals(), lbfgs.state(p).scalar("funcEvals", Double.NaN), 0.0, "funcEvals");
        assertEquals(c.iters(), lbfgs.state(p).scalar("nIter", Double.NaN), 0.0, "nIter");
    }
}
