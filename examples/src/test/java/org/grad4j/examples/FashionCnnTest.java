package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Module;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fashion-MNIST CNN example at a small size (so it cannot rot), and its place in the demo. */
class FashionCnnTest {

    @Test
    void learnsFromAThousandImagesInOneEpoch() throws Exception {
        assumeTrue(Files.isDirectory(FashionCnn.DEFAULT_DIR), "Debian's dataset-fashion-mnist is not installed");
        FashionCnn.Result r = FashionCnn.run(FashionCnn.DEFAULT_DIR, 1, 1024, 500, false);
        // 10 classes: chance is 10%; one pass over 1,024 images (16 steps) reaches about 60%
        assertTrue(r.testAccuracy() > 0.45, "test accuracy " + r.testAccuracy());
        // the mean training loss of that first epoch, starting from ln 10 = 2.30 for an untrained network
        assertTrue(r.lastLoss() < 2.1, "loss " + r.lastLoss());
    }

    @Test
    void theDemoTrainsTheSameNetworkAsFashionCnn() {
        // -Dgrad4j.demo=fashion-cnn: Mnist's [N, 28, 28] images get a channel dim, then FashionCnn's network
        Module cnn = FashionMnistExample.model("cnn");
        Tensor logits = cnn.forward(Tensor.zeros(3, 28, 28));
        assertArrayEquals(new int[] {3, 10}, logits.shape());
        assertEquals(FashionCnn.model(0).parameterCount(), cnn.parameterCount());
        var e = assertThrows(IllegalArgumentException.class, () -> FashionMnistExample.model("rnn"));
        assertTrue(e.getMessage().contains("mlp, cnn"), e.getMessage());
    }

    @Test
    void aMissingDirectoryIsExplained(@TempDir Path dir) {
        var m = assertThrows(IOException.class, () -> FashionCnn.run(dir, 1, 10, 10, false));
        assertTrue(m.getMessage().contains("dataset-fashion-mnist"), m.getMessage());
    }
}
