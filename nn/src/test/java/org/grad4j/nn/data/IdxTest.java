package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written here byte by byte: valid ones (plain and gzipped), and truncated, padded or wrong ones. */
class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with the given dims; {@code values.length} need not match (for bad files). */
    private static byte[] idxBytes(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) out.writeInt(d);
        out.write(values);
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    private static byte[] pixels(int n) {
        byte[] values = new byte[n];
        for (int i = 0; i < n; i++) values[i] = (byte) (i * 37);   // wraps: exercises values above 127
        return values;
    }

    @Test
    void readsPlainAndGzippedFilesWithTheirDimsAndUnsignedValues() throws IOException {
        byte[] content = idxBytes(new int[] {2, 3, 4}, pixels(24));
        for (boolean gz : new boolean[] {false, true}) {
            Tensor t = Idx.read(write("images" + gz, content, gz));
            assertArrayEquals(new int[] {2, 3, 4}, t.shape());
            assertEquals(DType.UINT8, t.dtype());
            long[] v = t.toLongArray();
            for (int i = 0; i < 24; i++) assertEquals((i * 37) & 0xFF, v[i], "element " + i);
        }
    }

    @Test
    void readsOtherElementTypes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x0C, 1});
        out.writeInt(3);
        out.writeInt(-5);
        out.writeInt(0);
        out.writeInt(70000);
        Tensor ints = Idx.read(write("ints", bytes.toByteArray(), false));
        assertEquals(DType.INT32, ints.dtype());
        assertArrayEquals(new int[] {-5, 0, 70000}, ints.toIntArray());
    }

    @Test
    void truncatedDataIsAnErrorNamingTheFileAndTheSizes() throws IOException {
        Path file = write("short-images-idx3-ubyte", idxBytes(new int[] {10, 28, 28}, pixels(7000)), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("7840 bytes") && e.getMessage().contains("7000 bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipIsAnError() throws IOException {
        Path whole = write("whole.gz", idxBytes(new int[] {100, 28, 28}, pixels(78400)), true);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void extraBytesAfterTheDataAreAnError() throws IOException {
        Path file = write("long", idxBytes(new int[] {2, 2}, pixels(5)), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().contains("longer than its header says"), e.getMessage());
    }

    @Test
    void wrongMagicUnknownTypeAndShortHeaderAreErrors() throws IOException {
        Path text = write("labels.csv", "1,2,3\n".getBytes(), false);
        assertTrue(assertThrows(DataFormatException.class, () -> Idx.read(text)).getMessage()
                .contains("not an IDX file"));
        Path badType = write("badtype", new byte[] {0, 0, 0x07, 1, 0, 0, 0, 0}, false);
        assertTrue(assertThrows(DataFormatException.class, () -> Idx.read(badType)).getMessage()
                .contains("unknown IDX element type 0x07"));
        Path shortHeader = write("short", new byte[] {0, 0, 0x08, 3, 0, 0, 0, 5}, false);
        assertTrue(assertThrows(DataFormatException.class, () -> Idx.read(shortHeader)).getMessage()
                .contains("truncated in the header"));
        Path tiny = write("tiny", new byte[] {0, 0}, false);
        assertTrue(assertThrows(DataFormatException.class, () -> Idx.read(tiny)).getMessage()
                .contains("too short"));
    }

    @Test
    void mnistLoaderReturnsUint8ImagesAndInt64LabelsAndChecksThem() throws IOException {
        write("train-images-idx3-ubyte.gz", idxBytes(new int[] {3, 2, 2}, new byte[] {0, (byte) 255, 51, 102,
                0, 0, 0, 0, 1, 2, 3, 4}), true);
        write("train-labels-idx1-ubyte", idxBytes(new int[] {3}, new byte[] {9, 0, 4}), false);
        TensorDataset train = Mnist.load(dir, true);
        assertArrayEquals(new int[] {3, 2, 2}, train.features().shape());
        assertEquals(DType.UINT8, train.features().dtype());
        assertArrayEquals(new long[] {0, 255, 51, 102}, Arrays.copyOf(train.features().toLongArray(), 4));
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f},
                Arrays.copyOf(ImageTransforms.toFloat(train.features()).toFloatArray(), 4), 1e-6f);
        assertEquals(DType.INT64, train.targets().dtype());
        assertArrayEquals(new long[] {9, 0, 4}, train.targets().toLongArray());
        assertThrows(NoSuchFileException.class, () -> Mnist.load(dir, false));

        write("train-labels-idx1-ubyte", idxBytes(new int[] {2}, new byte[] {9, 0}), false);
        assertTrue(assertThrows(DataFormatException.class, () -> Mnist.load(dir, true)).getMessage()
                .contains("holds 2 labels but"));
        write("train-labels-idx1-ubyte", idxBytes(new int[] {3}, new byte[] {9, 0, 10}), false);
        assertTrue(assertThrows(DataFormatException.class, () -> Mnist.load(dir, true)).getMessage()
                .contains("label 2 is 10,"));
    }

    @Test
    void realFashionMnistWhenPresent() throws IOException {
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Mnist.isPresent(fashion), "Fashion-MNIST files not installed");
        TensorDataset test = Mnist.load(fashion, false);
        assertArrayEquals(new int[] {10000, 28, 28}, test.features().shape());
        assertArrayEquals(new int[] {10000}, test.targets().shape());
        double[] counts = new double[10];
        for (long label : test.targets().toLongArray()) counts[(int) label]++;
        for (double c : counts) assertEquals(1000, c, "Fashion-MNIST's test set has 1000 images per class");
        double mean = ImageTransforms.toFloat(test.features()).mean().item();
        assertEquals(0.2868, mean, 0.002, "mean pixel of the test set");
    }
}
