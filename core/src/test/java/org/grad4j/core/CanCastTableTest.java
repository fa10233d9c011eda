package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link Promotion#canCast} over every pair of dtypes against {@code torch.can_cast}'s table (written out by hand
 * below), and the in-place ops that rely on it refusing exactly the pairs the table refuses.
 */
class CanCastTableTest {

    private static final DType[] ORDER = {DType.BOOL, DType.UINT8, DType.INT32, DType.INT64, DType.FLOAT32,
        DType.FLOAT64};

    /** Row: from, column: to, in {@link #ORDER}; as {@code torch.can_cast(from, to)}. */
    private static final boolean[][] TORCH_CAN_CAST = {
        // to:  bool   uint8  int32  int64  f32    f64
        {true, true, true, true, true, true},          // from bool
        {false, true, true, true, true, true},         // from uint8
        {false, true, true, true, true, true},         // from int32
        {false, true, true, true, true, true},         // from int64
        {false, false, false, false, true, true},      // from float32
        {false, false, false, false, true, true},      // from float64
    };

    @Test
    void everyPairMatchesTorchsTable() {
        for (int f = 0; f < ORDER.length; f++) {
            for (int t = 0; t < ORDER.length; t++) {
                assertEquals(TORCH_CAN_CAST[f][t], Promotion.canCast(ORDER[f], ORDER[t]), ORDER[f] + " -> " + ORDER[t]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Promotion.canCast(null, DType.INT32));
        assertThrows(IllegalArgumentException.class, () -> Promotion.canCast(DType.INT32, null));
    }

    /** {@code self.addInPlace(other)} writes {@code result_type(self, other)} into self: allowed iff castable. */
    @Test
    void inPlaceAddRefusesExactlyTheResultTypesThatCannotBeCast() {
        for (DType self : ORDER) {
            for (DType other : ORDER) {
                Tensor target = Tensor.zeros(DType.FLOAT64, 3).to(self);
                Tensor argument = Tensor.ones(DType.FLOAT64, 3).to(other);
                DType result = Promotion.resultType(target, argument);
                boolean allowed = TORCH_CAN_CAST[indexOf(result)][indexOf(self)];
                String pair = self + " += " + other;
                if (allowed) {
                    target.addInPlace(argument);
                    assertEquals(1.0, target.to(DType.FLOAT64).toDoubleArray()[2], 0.0, pair);
                    assertEquals(self, target.dtype(), pair);
                } else {
                    assertThrows(DTypeMismatchException.class, () -> target.addInPlace(argument), pair);
                    assertEquals(0.0, target.to(DType.FLOAT64).toDoubleArray()[2], 0.0, pair + " left unchanged");
                }
            }
        }
    }

    private static int indexOf(DType d) {
        for (int i = 0; i < ORDER.length; i++) {
            if (ORDER[i] == d) {
                return i;
            }
        }
        throw new AssertionError(d);
    }
}
