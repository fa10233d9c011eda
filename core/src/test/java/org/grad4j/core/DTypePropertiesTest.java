package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each dtype's byte size and kind, as {@code torch.dtype.itemsize}, {@code is_floating_point} and integrality. */
class DTypePropertiesTest {

    @Test
    void byteSizesAndKinds() {
        DType[] all = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.UINT8, DType.BOOL};
        int[] sizes = {4, 8, 8, 4, 1, 1};
        boolean[] floating = {true, true, false, false, false, false};
        boolean[] integral = {false, false, true, true, true, false};
        for (int i = 0; i < all.length; i++) {
            assertEquals(sizes[i], all[i].byteSize(), all[i].toString());
            assertEquals(floating[i], all[i].isFloatingPoint(), all[i].toString());
            assertEquals(integral[i], all[i].isIntegral(), all[i].toString());
            assertEquals(all[i], DType.promote(all[i], all[i]));
        }
    }
}
