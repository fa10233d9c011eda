package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The LSTM forecasting and character transformer examples at a small size, so they cannot rot. */
class SequenceExamplesTest {

    @Test
    void lstmBeatsTheNaiveForecastAfterAShortTraining() {
        SineForecast.Result r = SineForecast.train(120, 0, 3);
        assertTrue(r.modelMse() < r.naiveMse() / 3, "LSTM " + r.modelMse() + " vs naive " + r.naiveMse());
    }

    @Test
    void tinyCharTransformerLearnsCharacterStatistics() throws Exception {
        String text = CharTransformer.text();
        assertEquals(200_000, text.length());
        assertTrue(text.contains("The author disclaims copyright to this source code."));
        var tiny = new CharTransformer.Config(16, 16, 2, 1, 32, 8, 1e-2);
        CharTransformer.Result r = CharTransformer.train(text.substring(0, 20_000), tiny, 60, 0, 5);
        // from about uniform guessing (log 92 = 4.5 nats) to clearly below it: character frequencies and bigrams
        assertTrue(r.firstLoss() > 3.3 && r.lastLoss() < r.firstLoss() - 0.4, r.firstLoss() + " -> " + r.lastLoss());
        assertTrue(r.sample().startsWith("The ") && r.sample().length() == 84, r.sample());
    }
}
