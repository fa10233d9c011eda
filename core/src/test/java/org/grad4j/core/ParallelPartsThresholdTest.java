package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Where {@link ParallelParts#elements} splits: at {@code n * elementsPerIndex >= minElements} (the elements a call
 * reads and writes, not its indices), in ranges on multiples of {@link ParallelParts#ALIGN}; counted by hand.
 */
@ExtendWith(SplitSettingsRestored.class)
class ParallelPartsThresholdTest {
    private static List<String> ranges(int n, int elementsPerIndex) {
        List<String> ranges = new ArrayList<>();
        ParallelParts.elements(n, elementsPerIndex, (from, to) -> {
            synchronized (ranges) {
                ranges.add(from + ".." + to);
            }
        });
        ranges.sort(null);
        return ranges;
    }

    @Test
    void theThresholdCountsEveryOperandsElements() {
        ParallelParts.threads = 2;
        ParallelParts.minElements = 1200;
        // 600 indices of a unary op touch 1200 elements: split into 10 blocks of 64, 5 a part.
        assertEquals(List.of("0..320", "320..600"), ranges(600, 2));
        // 400 indices of a binary op touch 1200: split (7 blocks, 3 and 4).
        assertEquals(List.of("0..192", "192..400"), ranges(400, 3));
        // one element fewer than the threshold: one call
        assertEquals(List.of("0..599"), ranges(599, 2));
        assertEquals(List.of("0..399"), ranges(399, 3));
    }
}
