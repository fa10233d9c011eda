package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.nn.data.TensorDataset;
import org.junit.jupiter.api.Test;

/** The shipped digits file parses into 1,797 images of 64 pixels in [0, 16] with labels 0..9. */
class DigitsDataTest {

    @Test
    void shippedDigitsParse() throws Exception {
        TensorDataset digits = DigitsClassifier.load();
        assertArrayEquals(new int[] {1797, 64}, digits.features().shape());
        assertArrayEquals(new int[] {1797}, digits.targets().shape());
        assertEquals(0, digits.features().min().item(), 0);
        assertEquals(16, digits.features().max().item(), 0);
        double[] labels = digits.targets().toDoubleArray();
        int[] counts = new int[10];
        for (double label : labels) counts[(int) label]++;
        for (int c : counts) assertTrue(c > 150, "every class is present: " + java.util.Arrays.toString(counts));
        assertEquals(0, digits.targets().get(0), 0, "first row of the file is a 0");
    }
}
