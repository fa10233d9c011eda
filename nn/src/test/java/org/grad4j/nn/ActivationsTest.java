package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertAllFinite;
import static org.grad4j.nn.TestTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Activation values and gradients against PyTorch 1.13 reference numbers, against formulas written out here, at
 * the extremes (+-1000) in both dtypes, and module forms against function forms.
 */
class ActivationsTest {

    // Reference numbers: produced offline with PyTorch 1.13.1 (Debian python3-torch), float64:
    //   a = torch.tensor(POINTS, dtype=torch.float64, requires_grad=True)
    //   out = F.gelu(a)  (or F.gelu(a, approximate='tanh'), F.silu, F.softplus, F.softplus(a, beta=2.0,
    //   threshold=5.0), F.leaky_relu(a, 0.2), F.logsigmoid);  grad = torch.autograd.grad(out.sum(), a)
    static final double[] POINTS = {-1000.0, -20.0, -3.0, -1.0, -0.5, 0.0, 0.25, 1.0, 2.5, 10.0, 1000.0};
    static final double[] GELU = {-0.0, -0.0, -0.00404969409489031, -0.15865525393145702, -0.15426876936299344, 0.0,
        0.14967658142073093, 0.841344746068543, 2.4844758366855597, 10.0, 1000.0};
    static final double[] GELU_GRAD = {0.0, -1.1041896724319527e-86, -0.01194564720418392, -0.08331547058768635,
        0.13250487534383712, 0.5, 0.695373354883636, 1.0833154705876864, 1.037611085908145, 1.0, 1.0};
    static final double[] GELU_TANH = {-0.0, -0.0, -0.0036373920817729943, -0.1588080093917233,
        -0.15428599017485606, 0.0, 0.149675350701685, 0.8411919906082768, 2.484915733910001, 10.0, 1000.0};
    static final double[] GELU_TANH_GRAD = {0.0, 0.0, -0.011584166630969648, -0.08296408384578258,
        0.13263009646535764, 0.5, 0.6953540951510604, 1.0829640838457826, 1.037951576212666, 1.0, 1.0};
    static final double[] SILU = {-0.0, -4.122307236380407e-08, -0.14227761953270035, -0.2689414213699951,
        -0.1887703343990727, 0.0, 0.14054412522144952, 0.7310585786300049, 2.3103545499468914, 9.999546021312975,
        1000.0};
    static final double[] SILU_GRAD = {-0.0, -3.9161918660646786e-08, -0.08810410601516962, 0.07232948812851325,
        0.2600388126973482, 0.5, 0.6237100215701977, 0.9276705118714869, 1.0994011113415267, 1.0004085602086568,
        1.0};
    static final double[] SOFTPLUS = {0.0, 2.061153620314381e-09, 0.04858735157374206, 0.31326168751822286,
        0.4740769841801067, 0.6931471805599453, 0.8259394198788436, 1.3132616875182228, 2.5788897342925496,
        10.000045398899218, 1000.0};
    static final double[] SOFTPLUS_GRAD = {0.0, 2.0611536181902033e-09, 0.04742587317756679, 0.2689414213699951,
        0.37754066879814546, 0.5, 0.5621765008857981, 0.7310585786300049, 0.9241418199787564, 0.9999546021312976,
        1.0};
    static final double[] SOFTPLUS_B2_T5 = {0.0, 2.1241771276457944e-18, 0.0012378425688652247, 0.06346400552148625,
        0.15663084375911143, 0.34657359027997264, 0.48703849209005334, 1.0634640055214863, 2.503357674244559, 10.0,
        1000.0};
    static final double[] SOFTPLUS_B2_T5_GRAD = {0.0, 4.248354255291589e-18, 0.0024726231566347748,
        0.11920292202211755, 0.2689414213699951, 0.5, 0.6224593312018546, 0.8807970779778824, 0.9933071490757152, 1.0,
        1.0};
    static final double[] LEAKY_02 = {-200.0, -4.0, -0.6000000000000001, -0.2, -0.1, 0.0, 0.25, 1.0, 2.5, 10.0,
        1000.0};
    static final double[] LEAKY_02_GRAD = {0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 1.0, 1.0, 1.0, 1.0, 1.0};
    static final double[] LOGSIGMOID = {-1000.0, -20.000000002061153, -3.048587351573742, -1.3132616875182228,
        -0.9740769841801067, -0.6931471805599453, -0.5759394198788436, -0.31326168751822286, -0.07888973429254963,
        -4.539889921686465e-05, 0.0};
    static final double[] LOGSIGMOID_GRAD = {1.0, 0.9999999979388464, 0.9525741268224333, 0.7310585786300049,
        0.6224593312018545, 0.5, 0.4378234991142019, 0.2689414213699951, 0.07585818002124356, 4.5397868702434395e-05,
        0.0};

    private static void checkAgainstTorch(UnaryOperator<Tensor> f, double[] values, double[] grads) {
        Tensor x = Tensor.of(POINTS.clone()).requiresGrad(true);
        Tensor y = f.apply(x);
        assertClose(values, y, 1e-12);
        y.sum().backward();
        // 1e-86 and 0 agree to any sensible tolerance; relative-or-absolute 1e-12.
        assertClose(grads, x.grad(), 1e-12);
    }

    @Test
    void geluExactMatchesPytorch() {
        checkAgainstTorch(Activations::gelu, GELU, GELU_GRAD);
    }

    @Test
    void geluTanhMatchesPytorch() {
        checkAgainstTorch(x -> Activations.gelu(x, Activations.GeluApproximation.TANH), GELU_TANH, GELU_TANH_GRAD);
    }

    @Test
    void siluMatchesPytorch() {
        checkAgainstTorch(Activations::silu, SILU, SILU_GRAD);
    }

    @Test
    void softplusMatchesPytorchIncludingThreshold() {
        checkAgainstTorch(Activations::softplus, SOFTPLUS, SOFTPLUS_GRAD);
        checkAgainstTorch(x -> Activations.softplus(x, 2, 5), SOFTPLUS_B2_T5, SOFTPLUS_B2_T5_GRAD);
    }

    @Test
    void softplusIsExactlyLinearAboveTheThreshold() {
        Tensor x = Tensor.of(new double[] {20.5, 3.0}).requiresGrad(true);
        Tensor y = Activations.softplus(x, 1, 20);
        assertEquals(20.5, y.get(0));                     // linear branch: x itself
        assertEquals(Math.log1p(Math.exp(3.0)), y.get(1), 1e-15);
    }

    @Test
    void leakyReluAndLogSigmoidMatchPytorch() {
        checkAgainstTorch(x -> Activations.leakyRelu(x, 0.2), LEAKY_02, LEAKY_02_GRAD);
        checkAgainstTorch(Activations::logSigmoid, LOGSIGMOID, LOGSIGMOID_GRAD);
    }

    @Test
    void simpleActivationsMatchTheirFormulas() {
        double[] v = POINTS;
        double[] relu = new double[v.length];
        double[] sigmoid = new double[v.length];
        double[] tanh = new double[v.length];
        double[] leaky = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            relu[i] = Math.max(v[i], 0);
            sigmoid[i] = 1 / (1 + Math.exp(-v[i]));
            tanh[i] = Math.tanh(v[i]);
            leaky[i] = v[i] > 0 ? v[i] : 0.01 * v[i];
        }
        Tensor x = Tensor.of(v.clone());
        assertClose(relu, Activations.relu(x), 0);
        assertClose(sigmoid, Activations.sigmoid(x), 1e-15);
        assertClose(tanh, Activations.tanh(x), 1e-15);
        assertClose(leaky, Activations.leakyRelu(x), 1e-15);
        assertClose(leaky, new LeakyReLU().forward(x), 1e-15);
    }

    @Test
    void softmaxAndLogSoftmaxMatchTheirFormulas() {
        double[][] rows = {{1, 2, 3}, {-1, 0.5, 0}};
        Tensor x = Tensor.of(rows);
        double[] softmax = new double[6];
        double[] logSoftmax = new double[6];
        for (int r = 0; r < 2; r++) {
            double z = 0;
            for (double a : rows[r]) z += Math.exp(a);
            for (int c = 0; c < 3; c++) {
                softmax[r * 3 + c] = Math.exp(rows[r][c]) / z;
                logSoftmax[r * 3 + c] = rows[r][c] - Math.log(z);
            }
        }
        assertClose(softmax, Activations.softmax(x, 1), 1e-15);
        assertClose(softmax, new Softmax(-1).forward(x), 1e-15);
        assertClose(logSoftmax, Activations.logSoftmax(x, -1), 1e-15);
        assertClose(logSoftmax, new LogSoftmax(1).forward(x), 1e-15);
    }

    @Test
    void modulesEqualFunctions() {
        Tensor x = Tensor.of(POINTS.clone());
        assertClose(Activations.relu(x).toDoubleArray(), new ReLU().forward(x), 0);
        assertClose(Activations.sigmoid(x).toDoubleArray(), new Sigmoid().forward(x), 0);
        assertClose(Activations.tanh(x).toDoubleArray(), new Tanh().forward(x), 0);
        assertClose(GELU, new GELU().forward(x), 1e-12);
        assertClose(GELU_TANH, new GELU(Activations.GeluApproximation.TANH).forward(x), 1e-12);
        assertClose(SILU, new SiLU().forward(x), 1e-12);
        assertClose(SOFTPLUS, new Softplus().forward(x), 1e-12);
        assertClose(SOFTPLUS_B2_T5, new Softplus(2, 5).forward(x), 1e-12);
        assertClose(LEAKY_02, new LeakyReLU(0.2).forward(x), 1e-12);
    }

    @Test
    void float32ValuesAgreeWithFloat64() {
        float[] f = new float[POINTS.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) POINTS[i];
        Tensor x = Tensor.of(f);
        assertClose(GELU, Activations.gelu(x), 1e-6);
        assertClose(GELU_TANH, Activations.gelu(x, Activations.GeluApproximation.TANH), 1e-6);
        assertClose(SILU, Activations.silu(x), 1e-6);
        assertClose(SOFTPLUS, Activations.softplus(x), 1e-6);
        assertClose(LOGSIGMOID, Activations.logSigmoid(x), 1e-6);
    }

    @Test
    void everyActivationIsFiniteWithFiniteGradientsAtPlusMinus1000() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            java.util.List<UnaryOperator<Tensor>> fns = java.util.List.of(Activations::relu,
                    x -> Activations.leakyRelu(x, 0.1), Activations::sigmoid, Activations::tanh,
                    Activations::gelu, x -> Activations.gelu(x, Activations.GeluApproximation.TANH),
                    Activations::silu, Activations::softplus, x -> Activations.softplus(x, 0.5, 1e6),
                    Activations::logSigmoid, x -> Activations.softmax(x, 1), x -> Activations.logSoftmax(x, 1),
                    x -> Activations.softmax(x, 0), x -> Activations.logSoftmax(x, 0));
            for (int i = 0; i < fns.size(); i++) {
                Tensor x = Tensor.of(new double[][] {{-1000, 1000, 0}, {1000, 1000, -1000}}).to(dtype)
                        .requiresGrad(true);
                Tensor y = fns.get(i).apply(x);
                assertAllFinite(y, dtype + " activation #" + i + " value");
                y.mul(y.onesLike().mul(0.5)).sum().backward();
                assertAllFinite(x.grad(), dtype + " activation #" + i + " gradient");
            }
        }
    }

    @Test
    void softmaxAtExtremesIsOneHot() {
        Tensor p = Activations.softmax(Tensor.of(new float[] {1000, -1000, 0}), 0);
        assertClose(new double[] {1, 0, 0}, p, 0);
        Tensor lp = Activations.logSoftmax(Tensor.of(new float[] {1000, -1000, 0}), 0);
        assertClose(new double[] {0, -2000, -1000}, lp, 0);
    }

    @Test
    void invalidArgumentsAreExplained() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Softplus(0, 20));
        assertTrue(e.getMessage().contains("beta"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.softplus(Tensor.zeros(2), -1, 20));
    }

    @Test
    void modulesPrintTheirConfiguration() {
        assertEquals("LeakyReLU(negativeSlope=0.2)", new LeakyReLU(0.2).toString());
        assertEquals("GELU()", new GELU().toString());
        assertEquals("GELU(approximation=TANH)", new GELU(Activations.GeluApproximation.TANH).toString());
        assertEquals("Softmax(dim=-1)", new Softmax(-1).toString());
        assertEquals("Softplus(beta=1.0, threshold=20.0)", new Softplus().toString());
        assertEquals("ReLU()", new ReLU().toString());
    }

    @Test
    void identityReturnsTheSameTensor() {
        Tensor x = Tensor.ones(2);
        assertSame(x, new Identity().forward(x));
    }
}
