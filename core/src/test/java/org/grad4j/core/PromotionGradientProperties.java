package org.grad4j.core;

import static org.grad4j.core.TensorArbitraries.broadcastShapes;
import static org.grad4j.core.TensorArbitraries.nonZeroValues;
import static org.grad4j.core.TensorArbitraries.tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.grad4j.core.TensorArbitraries.TensorData;

/**
 * Gradients through type promotion: a float64 leaf combined with an integer or bool operand (broadcast, in any
 * layout) is checked against finite differences; a float32 leaf combined with float64 gets its gradient in float32,
 * equal to the float64 gradient rounded once.
 */
class PromotionGradientProperties {
    private static final int TRIES = 30;

    enum MixedOp {
        ADD(Tensor::add), SUB(Tensor::sub), MUL(Tensor::mul), DIV(Tensor::div), MAXIMUM(Tensor::maximum),
        WHERE((x, o) -> Tensor.where(o.ne(0L), x, o)), POW((x, o) -> x.pow(o));

        final BiFunction<Tensor, Tensor, Tensor> op;

        MixedOp(BiFunction<Tensor, Tensor, Tensor> op) {
            this.op = op;
        }
    }

    @Provide
    Arbitrary<List<TensorData>> pair() {
        return broadcastShapes(2, 3, 4, 24).flatMap(s -> tensors(s, List.of(nonZeroValues(0.5, 3),
                Arbitraries.of(-3.0, -1.0, 1.0, 2.0, 3.0))));
    }

    @Provide
    Arbitrary<DType> integerDtypes() {
        return Arbitraries.of(DType.INT64, DType.INT32, DType.UINT8, DType.BOOL);
    }

    /** The integer operand is a constant: only the float64 leaf gets a gradient, checked numerically. */
    @Property(tries = TRIES)
    void float64WithIntegerOperands(@ForAll("pair") List<TensorData> p, @ForAll MixedOp op,
                                    @ForAll("integerDtypes") DType dtype) {
        Tensor other = p.get(1).tensor(DType.FLOAT64).to(dtype);
        if (op == MixedOp.POW) {
            Tensor positive = p.get(0).tensor().abs().detach().requiresGrad(true);
            GradCheck.assertGradients(in -> op.op.apply(in[0], other), positive);
            return;
        }
        if ((op == MixedOp.DIV && other.eq(0L).any().itemBoolean()) || (op == MixedOp.SUB && dtype == DType.BOOL)) {
            return;   // division by zero; subtraction with a bool tensor is refused, as in PyTorch
        }
        Tensor result = op.op.apply(p.get(0).tensor(), other);
        assertEquals(DType.FLOAT64, result.dtype());
        GradCheck.assertGradients(in -> op.op.apply(in[0], other), p.get(0).leaf());
    }

    /** A float32 leaf in a float64 expression: its gradient is float32, the float64 one rounded. */
    @Property(tries = TRIES)
    void float32LeafInAFloat64Expression(@ForAll("pair") List<TensorData> p, @ForAll MixedOp op) {
        if (op == MixedOp.WHERE || op == MixedOp.POW) {
            return;
        }
        Tensor x32 = p.get(0).tensor(DType.FLOAT32).requiresGrad(true);
        Tensor x64 = x32.detach().to(DType.FLOAT64).requiresGrad(true);
        Tensor y = p.get(1).tensor(DType.FLOAT64);
        op.op.apply(x32, y).sum().backward();
        op.op.apply(x64, y).sum().backward();
        assertEquals(DType.FLOAT32, x32.grad().dtype());
        assertArrayEquals(x64.grad().to(DType.FLOAT32).toFloatArray(), x32.grad().toFloatArray());
    }
}
