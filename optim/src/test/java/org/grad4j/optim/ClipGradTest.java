package org.grad4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Clipping against torch.nn.utils.clip_grad_norm_ 1.13.1 (values printed by generate_torch_reference.py for the
 * grads a = [3, -4], b = [[1, 2], [-2, 0.5]]) and against hand-computed values.
 */
class ClipGradTest {
    private Tensor a;
    private Tensor b;

    private List<Tensor> params(DType dtype) {
        a = Tensor.zeros(dtype, 2).requiresGrad(true);
        b = Tensor.zeros(dtype, 2, 2).requiresGrad(true);
        a.setGrad(Tensor.of(new double[] {3, -4}).to(dtype));
        b.setGrad(Tensor.of(new double[] {1, 2, -2, 0.5}, 2, 2).to(dtype));
        return List.of(a, b);
    }

    private double[] grads() {
        return TestProblem.concat(a.grad(), b.grad().reshape(-1));
    }

    @Test
    void twoNormMatchesTorch() {
        double total = ClipGrad.clipGradNorm(params(DType.FLOAT64), 1.0);
        assertEquals(5.852349955359813, total, 1e-15);          // sqrt(9 + 16 + 1 + 4 + 4 + 0.25)
        assertArrayEquals(new double[] {0.5126145070388306, -0.6834860093851075, 0.17087150234627688,
            0.34174300469255375, -0.34174300469255375, 0.08543575117313844}, grads(), 1e-15);
    }

    @Test
    void infNormMatchesTorch() {
        double total = ClipGrad.clipGradNorm(params(DType.FLOAT64), 0.5, Double.POSITIVE_INFINITY);
        assertEquals(4.0, total, 0.0);
        assertArrayEquals(new double[] {0.37499990625002344, -0.49999987500003124, 0.12499996875000781,
            0.24999993750001562, -0.24999993750001562, 0.062499984375003904}, grads(), 1e-16);
    }

    @Test
    void otherPNormsMatchTorch() {
        assertEquals(12.5, ClipGrad.clipGradNorm(params(DType.FLOAT64), 2.0, 1.0), 1e-15);
        assertArrayEquals(new double[] {0.4799999616000031, -0.6399999488000041, 0.15999998720000103,
            0.31999997440000205, -0.31999997440000205, 0.07999999360000051}, grads(), 1e-16);
        assertEquals(4.7640397172728965, ClipGrad.clipGradNorm(params(DType.FLOAT64), 100.0, 3.0), 1e-14);
    }

    @Test
    void gradsBelowTheLimitAreLeftBitForBit() {
        double total = ClipGrad.clipGradNorm(params(DType.FLOAT64), 10.0);
        assertEquals(5.852349955359813, total, 1e-15);
        assertArrayEquals(new double[] {3, -4, 1, 2, -2, 0.5}, grads(), 0.0);
    }

    @Test
    void float32GradsAreClippedInTheirDtype() {
        double total = ClipGrad.clipGradNorm(params(DType.FLOAT32), 1.0);
        assertEquals(5.852349955359813, total, 1e-6);
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new double[] {0.5126145070388306, -0.6834860093851075, 0.17087150234627688,
            0.34174300469255375, -0.34174300469255375, 0.08543575117313844}, grads(), 1e-6);
    }

    @Test
    void parametersWithoutGradAreIgnored() {
        Tensor none = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        List<Tensor> ps = new java.util.ArrayList<>(params(DType.FLOAT64));
        ps.add(none);
        assertEquals(5.852349955359813, ClipGrad.clipGradNorm(ps, 1.0), 1e-15);
        assertNull(none.grad());
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(none), 1.0));
    }

    @Test
    void nonFiniteNormErrorsOnRequestOrPropagatesAsTorch() {
        List<Tensor> ps = params(DType.FLOAT64);
        b.setGrad(Tensor.of(new double[] {1, Double.NaN, 0, 0}, 2, 2));
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> ClipGrad.clipGradNorm(ps, 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("total norm of order 2.0 of the gradients is NaN"), e.getMessage());
        assertArrayEquals(new double[] {3, -4}, a.grad().toDoubleArray(), 0.0);   // nothing was scaled
        assertTrue(Double.isNaN(ClipGrad.clipGradNorm(ps, 1.0)));
        assertTrue(Double.isNaN(a.grad().get(0)));              // scaled by NaN, as torch does
    }

    @Test
    void clipByValue() {
        List<Tensor> ps = params(DType.FLOAT64);
        ClipGrad.clipGradValue(ps, 1.5);
        assertArrayEquals(new double[] {1.5, -1.5, 1, 1.5, -1.5, 0.5}, grads(), 0.0);
    }

    @Test
    void invalidArguments() {
        List<Tensor> ps = params(DType.FLOAT64);
        assertEquals("clipGradNorm: invalid maxNorm = -1.0; expected maxNorm >= 0",
                assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(ps, -1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(ps, 1, 0))
                .getMessage().startsWith("clipGradNorm: invalid normType = 0.0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(ps, -0.5))
                .getMessage().startsWith("clipGradValue: invalid clipValue = -0.5"));
    }
}
