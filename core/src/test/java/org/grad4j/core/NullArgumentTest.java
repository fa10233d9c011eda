package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.grad4j.core.io.SafeTensors;
import org.grad4j.core.io.StateDictFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A null argument at core's entry points is refused before any work with an {@link IllegalArgumentException} whose
 * message is exactly "operation: parameter is null" (the convention of nn and optim), checked at the choke points:
 * the binary-op dispatch, in-place ops, shapes and dims, joins, custom functions, autograd and the file codec.
 */
class NullArgumentTest {
    private static void refused(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    private static final class Square extends Function {
        @Override
        protected Tensor forward(FunctionContext ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].square();
        }

        @Override
        protected Tensor[] backward(FunctionContext ctx, Tensor grad) {
            return new Tensor[] {grad.mul(ctx.savedTensors()[0]).mul(2)};
        }
    }

    @Test
    void binaryOpsNameTheOpAndTheOperand() {
        Tensor a = Tensor.ones(2);
        refused("add: other is null", () -> a.add(null));
        refused("sub: other is null", () -> a.sub(null));
        refused("mul: other is null", () -> a.mul(null));
        refused("div: other is null", () -> a.div(null));
        refused("pow: exponent is null", () -> a.pow((Tensor) null));
        refused("maximum: other is null", () -> a.maximum(null));
        refused("gt: other is null", () -> a.gt(null));
        refused("eq: other is null", () -> a.eq(null));
        refused("logicalAnd: other is null", () -> a.logicalAnd(null));
        refused("remainder: other is null", () -> a.remainder(null));
        refused("matmul: other is null", () -> a.matmul(null));
        refused("where: condition is null", () -> Tensor.where(null, a, a));
        refused("where: b is null", () -> Tensor.where(a.gt(0), a, null));
        refused("maskedFill: mask is null", () -> a.maskedFill(null, 1.0));
    }

    @Test
    void inPlaceOpsNameTheOpAndTheOperand() {
        Tensor a = Tensor.ones(2);
        refused("addInPlace: other is null", () -> a.addInPlace(null));
        refused("addInPlace: other is null", () -> a.addInPlace(null, 2.0));
        refused("mulInPlace: other is null", () -> a.mulInPlace(null));
        refused("addcmulInPlace: tensor1 is null", () -> a.addcmulInPlace(null, a, 1));
        refused("addcdivInPlace: tensor2 is null", () -> a.addcdivInPlace(a, null, 1));
        refused("copyFrom: source is null", () -> a.copyFrom(null));
        assertEquals(List.of(1.0, 1.0), Arrays.stream(a.toDoubleArray()).boxed().toList(), "a refused call changes nothing");
    }

    @Test
    void shapesDimsAndDtypes() {
        Tensor a = Tensor.ones(2, 3);
        refused("full: shape is null", () -> Tensor.zeros((int[]) null));
        refused("full: dtype is null", () -> Tensor.zeros((DType) null, 2));
        refused("Tensor.of: data is null", () -> Tensor.of((float[]) null, 2));
        refused("Tensor.ofShape: shape is null", () -> Tensor.ofShape(new double[] {1}, null));
        refused("Tensor.of: rows[1] is null", () -> Tensor.of(new double[][] {{1}, null}));
        refused("reshape: shape is null", () -> a.reshape((int[]) null));
        refused("permute: dims is null", () -> a.permute((int[]) null));
        refused("sum: dims is null", () -> a.sum(null, false));
        refused("to: dtype is null", () -> a.to(null));
        refused("get: index is null", () -> a.get((int[]) null));
        refused("rand: dtype is null", () -> Tensor.rand(new java.util.SplittableRandom(1), null, 2));
    }

    @Test
    void joinsNameTheNullElement() {
        Tensor a = Tensor.ones(2);
        refused("concat: tensors[1] is null", () -> Tensor.concat(0, a, null));
        refused("concat: tensors is null", () -> Tensor.concat(0, (Tensor[]) null));
        refused("concat: tensors.get(0) is null", () -> Tensor.concat(Arrays.asList((Tensor) null), 0));
        refused("stack: tensors[0] is null", () -> Tensor.stack(0, null, a));
        refused("indexSelect: indices is null", () -> a.indexSelect(0, (Tensor) null));
        refused("gather: index is null", () -> a.gather(0, null));
    }

    @Test
    void customFunctionsAndAutograd() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        refused("Square.apply: inputs is null", () -> new Square().apply((Tensor[]) null));
        refused("Square.apply: inputs[0] is null", () -> new Square().apply((Tensor) null));
        refused("Square.apply: inputs[1] is null", () -> new Square().apply(x, null));
        refused("Autograd.grad: input is null", () -> Autograd.grad(x.sum(), (Tensor) null, false));
        refused("Autograd.grad: inputs.get(0) is null", () -> Autograd.grad(x.sum(),
                Arrays.asList((Tensor) null), false));
        refused("jacobian: f is null", () -> Functional.jacobian(null, x));
        refused("Grad.noGrad: body is null", () -> Grad.noGrad((Runnable) null));
        refused("GradCheck: inputs[0] is null", () -> GradCheck.check(in -> in[0], (Tensor) null));
    }

    @Test
    void theFileCodecNamesTheOperation() {
        refused("SafeTensors.read: file is null", () -> SafeTensors.read(null));
        refused("SafeTensors.encode: tensors is null", () -> SafeTensors.encode(null, null));
        refused("StateDictFile.toTensorData: t is null", () -> StateDictFile.toTensorData(null));
        IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(java.nio.file.Path.of("/"), java.util.Map.of(), null));
        assertEquals(true, root.getMessage().startsWith("SafeTensors.write: / names no file"), root.getMessage());
    }
}
