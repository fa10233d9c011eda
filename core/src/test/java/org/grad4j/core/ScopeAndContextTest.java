package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scopes close idempotently; a custom function's context names an input index that does not exist. */
class ScopeAndContextTest {

    @Test
    void closingAnAnomalyScopeTwiceLeavesTheOuterScopeOn() {
        try (AnomalyMode.Scope outer = AnomalyMode.enable()) {
            AnomalyMode.Scope inner = AnomalyMode.enable();
            inner.close();
            assertTrue(AnomalyMode.isEnabled());
            inner.close();
            assertTrue(AnomalyMode.isEnabled(), "a second close must not undo the outer scope");
        }
        assertFalse(AnomalyMode.isEnabled());
    }

    @Test
    void needsInputGradOutOfRangeNamesTheIndexAndTheInputCount() {
        Function probe = new Function() {
            @Override
            protected Tensor forward(FunctionContext ctx, Tensor... inputs) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ctx.needsInputGrad(5));
                assertTrue(e.getMessage().contains("needsInputGrad: input 5") && e.getMessage().contains("1 input"),
                        e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> ctx.needsInputGrad(-1));
                assertTrue(ctx.needsInputGrad(0));
                return inputs[0].mul(2);
            }

            @Override
            protected Tensor[] backward(FunctionContext ctx, Tensor gradOutput) {
                return new Tensor[] {gradOutput.mul(2)};
            }
        };
        probe.apply(Tensor.ones(2).requiresGrad(true));
    }
}
