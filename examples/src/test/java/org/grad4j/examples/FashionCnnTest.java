package org.grad4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fashion-MNIST example at a small size (so it cannot rot), and its IDX reader. */
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

    private static void writeGz(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
    }

    @Test
    void readsIdxFilesAndRejectsOthers(@TempDir Path dir) throws Exception {
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9};
        writeGz(dir.resolve("labels.gz"), labels);
        int[] read = FashionCnn.readLabels(dir.resolve("labels.gz"), 2);
        assertEquals(2, read.length);
        assertEquals(7, read[0]);
        assertEquals(0, read[1]);
        byte[] image = new byte[16 + 784];
        image[2] = 8;
        image[3] = 3;
        image[7] = 1;
        image[11] = 28;
        image[15] = 28;
        image[16 + 5] = (byte) 255;
        writeGz(dir.resolve("images.gz"), image);
        float[][] images = FashionCnn.readImages(dir.resolve("images.gz"), 10);
        assertEquals(1, images.length);
        assertEquals(1f, images[0][5]);
        assertEquals(0f, images[0][6]);
        var e = assertThrows(IOException.class, () -> FashionCnn.readImages(dir.resolve("labels.gz"), 1));
        assertTrue(e.getMessage().contains("not an IDX image file"), e.getMessage());
        var m = assertThrows(IOException.class, () -> FashionCnn.readLabels(dir.resolve("missing.gz"), 1));
        assertTrue(m.getMessage().contains("dataset-fashion-mnist"), m.getMessage());
    }
}
