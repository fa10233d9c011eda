package org.grad4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand in the comments. */
class MetricsTest {
    // Four samples, three classes. Ranking per row (best first): row 0: 1,0,2  row 1: 0,2,1  row 2: 2,1,0
    // row 3: 0,1,2.  Targets 1, 2, 0, 0: top-1 right for rows 0 and 3 (2 of 4); top-2 also row 1 (3 of 4).
    private final Tensor scores = Tensor.of(new double[][] {{0.2, 0.7, 0.1}, {3, -1, 2}, {0, 1, 2}, {5, 4, 3}});
    private final Tensor targets = Tensor.of(new double[] {1, 2, 0, 0});

    @Test
    void accuracyAndTopK() {
        Metric acc = Metrics.accuracy();
        Metric top2 = Metrics.topK(2);
        Metric top3 = Metrics.topK(3);
        for (Metric m : new Metric[] {acc, top2, top3}) {
            m.reset();
            assertTrue(Double.isNaN(m.result()));
            m.update(scores.narrow(0, 0, 2), targets.narrow(0, 0, 2));   // two batches add up
            m.update(scores.narrow(0, 2, 2), targets.narrow(0, 2, 2));
        }
        assertEquals(0.5, acc.result());
        assertEquals(0.75, top2.result());
        assertEquals(1.0, top3.result());
        assertEquals("top2", top2.name());
    }

    @Test
    void binaryAccuracyThresholdsLogitsAtZero() {
        Metric acc = Metrics.accuracy();
        acc.reset();
        acc.update(Tensor.of(new double[] {2.0, -0.5, 0.3, -4}), Tensor.of(new double[] {1, 0, 0, 0}));
        assertEquals(0.75, acc.result());
    }

    @Test
    void maeAndRmse() {
        // errors 1, -2, 0, 3: MAE 6/4 = 1.5; RMSE sqrt(14/4)
        Tensor out = Tensor.of(new double[] {2, 0, 5, 7});
        Tensor t = Tensor.of(new double[] {1, 2, 5, 4});
        Metric mae = Metrics.mae();
        Metric rmse = Metrics.rmse();
        mae.reset();
        rmse.reset();
        mae.update(out, t);
        rmse.update(out, t);
        assertEquals(1.5, mae.result(), 1e-15);
        assertEquals(Math.sqrt(3.5), rmse.result(), 1e-15);
        assertTrue(!mae.higherIsBetter() && !rmse.higherIsBetter());
    }

    @Test
    void confusionMatrixCountsPrecisionRecall() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.update(scores, targets);
        // predicted (argmax): 1, 0, 2, 0 against true 1, 2, 0, 0
        long[][] expected = {{1, 0, 1}, {0, 1, 0}, {1, 0, 0}};
        for (int r = 0; r < 3; r++) assertArrayEquals(expected[r], cm.counts()[r]);
        assertEquals(0.5, cm.accuracy());
        assertEquals(0.5, cm.recall(0));
        assertEquals(0.5, cm.precision(0));
        assertEquals(0.0, cm.precision(2));
        assertEquals(4, cm.total());
    }

    @Test
    void badTargetsAreExplained() {
        Metric acc = Metrics.accuracy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> acc.update(scores, Tensor.of(new double[] {1, 2, 3, 0})));
        assertTrue(e.getMessage().contains("target 2 is 3.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> acc.update(scores, Tensor.of(new double[] {1, 2})));
    }
}
