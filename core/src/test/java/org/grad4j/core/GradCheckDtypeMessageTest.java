package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * GradCheck refuses a float32 input and a float32 output each with its own message, also when the other one is
 * float64 (so that neither check stands in for the other).
 */
class GradCheckDtypeMessageTest {
    private static final String FIX = "; finite differences need float64 (convert with .to(DType.FLOAT64) and build"
            + " the function in float64)";

    private static void refused(String expected, Executable call) {
        assertEquals(expected + FIX, assertThrows(DTypeMismatchException.class, call).getMessage());
    }

    @Test
    void aFloat32InputIsNamedEvenWhenTheOutputIsFloat64() {
        Tensor x32 = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        GradCheck.Fn widened = in -> in[0].to(DType.FLOAT64).square();
        refused("GradCheck: input 0 is float32", () -> GradCheck.check(widened, x32));
        refused("GradCheck: input 0 is float32", () -> GradCheck.checkDirectional(widened, 1, x32));
    }

    @Test
    void aFloat32OutputIsNamedWhenTheInputsAreFloat64() {
        Tensor x64 = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        GradCheck.Fn narrowed = in -> in[0].square().to(DType.FLOAT32);
        refused("GradCheck: output is float32", () -> GradCheck.check(narrowed, x64));
        refused("GradCheck: output is float32", () -> GradCheck.checkDirectional(narrowed, 1, x64));
    }
}
