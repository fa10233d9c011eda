package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grad4j.nn.data.EarlyStopping;
import org.junit.jupiter.api.Test;

/**
 * Index arithmetic of the containers at both ends (Python-style negative indices), the null messages of
 * {@link ModuleDict#put}, the channel checks shared by the convolution layers, and settings checks of the
 * transformer and early stopping, each at the first refused value.
 */
class ContainerIndexTest {

    @Test
    void sequentialAndModuleListIndicesFromBothEnds() {
        ReLU a = new ReLU();
        Tanh b = new Tanh();
        Sigmoid c = new Sigmoid();
        Sequential seq = new Sequential(a, b, c);
        ModuleList list = new ModuleList(List.of(a, b, c));
        for (int[] indexAndPosition : new int[][] {{0, 0}, {2, 2}, {-1, 2}, {-3, 0}}) {
            Module expected = List.of(a, b, c).get(indexAndPosition[1]);
            assertSame(expected, seq.get(indexAndPosition[0]));
            assertSame(expected, list.get(indexAndPosition[0]));
        }
        for (int bad : new int[] {3, -4}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> seq.get(bad));
            assertEquals("Sequential.get: index " + bad + " is out of range for 3 modules", e.getMessage());
            e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(bad));
            assertEquals("ModuleList.get: index " + bad + " is out of range for 3 modules", e.getMessage());
        }
    }

    @Test
    void moduleDictNamesWhatIsNull() {
        ModuleDict dict = new ModuleDict();
        assertEquals("ModuleDict.put: key is null",
                assertThrows(IllegalArgumentException.class, () -> dict.put(null, new ReLU())).getMessage());
        assertEquals("ModuleDict.put: module for 'a' is null",
                assertThrows(IllegalArgumentException.class, () -> dict.put("a", null)).getMessage());
        assertSame(dict, dict.put("a", new ReLU()));
    }

    @Test
    void convolutionChannelChecks() {
        ConvLayers.checkChannels("L", 1, 1, 1);
        ConvLayers.checkChannels("L", 4, 6, 2);
        for (int[] bad : new int[][] {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}, {3, 4, 2}, {4, 3, 2}, {-2, 2, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConvLayers.checkChannels("L", bad[0], bad[1], bad[2]), java.util.Arrays.toString(bad));
            assertEquals("L: channels must be positive and divisible by groups, got in=" + bad[0] + ", out=" + bad[1]
                    + ", groups=" + bad[2], e.getMessage());
        }
    }

    @Test
    void transformerAndEarlyStoppingSettings() {
        // EarlyStopping counts epochs from 0, as its bestEpoch does
        assertThrows(IllegalArgumentException.class, () -> TransformerEncoderLayer.options().dropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> TransformerEncoderLayer.options().dropout(-0.1));
        TransformerEncoderLayer.options().dropout(0);
        EarlyStopping stop = new EarlyStopping(2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stop.improved(Double.NaN));
        assertTrue(e.getMessage().startsWith("EarlyStopping: validation loss is NaN at epoch 0;"), e.getMessage());
        stop.improved(1.0);
        e = assertThrows(IllegalArgumentException.class, () -> stop.improved(Double.NaN));
        assertTrue(e.getMessage().contains("at epoch 1;"), e.getMessage());
    }
}
