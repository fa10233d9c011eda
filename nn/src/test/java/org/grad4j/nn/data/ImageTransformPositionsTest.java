package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Where {@link ImageTransforms#randomCrop} and {@link ImageTransforms#randomHorizontalFlip} put each pixel, against
 * a naive reference (pad with zeros, then copy the window; mirror each row), with the random draws scripted so that
 * every position, including both extremes, is reached on purpose.
 */
class ImageTransformPositionsTest {

    /** Returns scripted draws and records the bounds it was asked for. */
    private static final class Script implements RandomGenerator {
        final Deque<Integer> ints = new ArrayDeque<>();
        final Deque<Double> doubles = new ArrayDeque<>();
        final List<Integer> bounds = new ArrayList<>();

        Script drawInts(int... values) {
            for (int v : values) ints.add(v);
            return this;
        }

        Script drawDoubles(double... values) {
            for (double v : values) doubles.add(v);
            return this;
        }

        @Override
        public int nextInt(int bound) {
            bounds.add(bound);
            int v = ints.remove();
            assertTrue(v >= 0 && v < bound, "scripted draw " + v + " outside [0, " + bound + ")");
            return v;
        }

        @Override
        public double nextDouble() {
            return doubles.remove();
        }

        @Override
        public long nextLong() {
            throw new AssertionError("not drawn by the transforms");
        }
    }

    /** Distinct values 1, 2, 3, ... so that every pixel's position shows. */
    private static double[] numbered(int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = i + 1;
        return v;
    }

    /** Pads each plane by {@code pad} zeros, then copies the window at (top, left) of the padded plane. */
    private static double[] referenceCrop(double[] in, int n, int channels, int h, int w, int size, int pad,
                                          int[] tops, int[] lefts) {
        int ph = h + 2 * pad;
        int pw = w + 2 * pad;
        double[] out = new double[n * channels * size * size];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                double[][] padded = new double[ph][pw];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        padded[y + pad][x + pad] = in[((i * channels + c) * h + y) * w + x];
                    }
                }
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        out[((i * channels + c) * size + y) * size + x] = padded[tops[i] + y][lefts[i] + x];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void cropWindowsLandWhereTheDrawsSayInEveryImageAndChannel() {
        int n = 4;
        int channels = 2;
        int h = 3;
        int w = 5;
        int size = 4;
        int pad = 2;
        // offsets in the padded image: top in [0, 3], left in [0, 5]; the extremes and inner positions
        int[] tops = {0, 3, 1, 2};
        int[] lefts = {5, 0, 2, 4};
        Script rng = new Script();
        for (int i = 0; i < n; i++) rng.drawInts(tops[i], lefts[i]);
        double[] in = numbered(n * channels * h * w);
        Tensor out = ImageTransforms.randomCrop(size, pad).apply(Tensor.of(in, n, channels, h, w), rng);
        assertArrayEquals(new int[] {n, channels, size, size}, out.shape());
        assertArrayEquals(referenceCrop(in, n, channels, h, w, size, pad, tops, lefts), out.toDoubleArray());
        assertEquals(List.of(4, 6, 4, 6, 4, 6, 4, 6), rng.bounds, "top drawn from h + 2 pad - size + 1 positions,"
                + " left from w + 2 pad - size + 1");
    }

    @Test
    void cropOfImagesWithoutAChannelDim() {
        int n = 2;
        int h = 4;
        int w = 3;
        int[] tops = {2, 0};
        int[] lefts = {0, 2};
        Script rng = new Script().drawInts(tops[0], lefts[0], tops[1], lefts[1]);
        double[] in = numbered(n * h * w);
        Tensor out = ImageTransforms.randomCrop(3, 1).apply(Tensor.of(in, n, h, w), rng);
        assertArrayEquals(new int[] {n, 3, 3}, out.shape());
        assertArrayEquals(referenceCrop(in, n, 1, h, w, 3, 1, tops, lefts), out.toDoubleArray());
        assertEquals(List.of(4, 3, 4, 3), rng.bounds);
    }

    @Test
    void cropWithoutPaddingIsAWindowOfTheImage() {
        double[] in = numbered(20);
        Script rng = new Script().drawInts(1, 2);
        Tensor out = ImageTransforms.randomCrop(3, 0).apply(Tensor.of(in, 1, 1, 4, 5), rng);
        assertArrayEquals(new double[] {8, 9, 10, 13, 14, 15, 18, 19, 20}, out.toDoubleArray());
        assertEquals(List.of(2, 3), rng.bounds);
    }

    @Test
    void cropKeepsTheDtype() {
        byte[] pixels = {10, 20, 30, 40};
        Tensor images = Tensor.of(pixels, 1, 2, 2);
        Tensor out = ImageTransforms.randomCrop(2, 1).apply(images, new Script().drawInts(0, 2));
        assertEquals(DType.UINT8, out.dtype());
        assertArrayEquals(new double[] {0, 0, 20, 0}, out.toDoubleArray());
        Tensor f64 = Tensor.of(new double[] {1, 2, 3, 4}, 1, 2, 2);
        assertEquals(DType.FLOAT64, ImageTransforms.randomCrop(2, 0).apply(f64, new Script().drawInts(0, 0)).dtype());
    }

    @Test
    void aWindowAsLargeAsThePaddedImageFitsAndOneMoreDoesNot() {
        double[] in = numbered(6);
        Tensor images = Tensor.of(in, 1, 2, 3);
        // 2 + 2 = 4 rows, 3 + 2 = 5 columns padded: a 4x4 window fits (one top, two lefts), a 5x5 one does not
        Tensor out = ImageTransforms.randomCrop(4, 1).apply(images, new Script().drawInts(0, 1));
        assertArrayEquals(referenceCrop(in, 1, 1, 2, 3, 4, 1, new int[] {0}, new int[] {1}), out.toDoubleArray());
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> ImageTransforms.randomCrop(5, 1).apply(images, new Script()));
        assertEquals("ImageTransforms.randomCrop: a 5x5 window does not fit in 2x3 images padded by 1",
                e.getMessage());
        Tensor tall = Tensor.of(numbered(6), 1, 3, 2);
        assertThrows(ShapeMismatchException.class, () -> ImageTransforms.randomCrop(5, 1).apply(tall, new Script()));
        assertEquals(4, ImageTransforms.randomCrop(4, 1).apply(tall, new Script().drawInts(1, 0)).shape()[1]);
    }

    @Test
    void cropSettingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.randomCrop(0, 0));
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.randomCrop(2, -1));
        assertEquals(1, ImageTransforms.randomCrop(1, 0).apply(Tensor.ones(1, 1, 1), new Script().drawInts(0, 0))
                .numel());
        assertThrows(ShapeMismatchException.class,
                () -> ImageTransforms.randomCrop(1, 0).apply(Tensor.ones(1, 1, 1, 1, 1), new Script()));
        assertThrows(ShapeMismatchException.class,
                () -> ImageTransforms.randomCrop(1, 0).apply(Tensor.ones(3, 3), new Script()));
    }

    /** Mirrors each row of the planes of the images chosen. */
    private static double[] referenceFlip(double[] in, int n, int planes, int h, int w, boolean[] flipped) {
        double[] out = in.clone();
        for (int i = 0; i < n; i++) {
            if (!flipped[i]) continue;
            for (int c = 0; c < planes; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        out[((i * planes + c) * h + y) * w + x] = in[((i * planes + c) * h + y) * w + (w - 1 - x)];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void flipMirrorsExactlyTheImagesWhoseDrawIsBelowP() {
        int n = 4;
        int planes = 3;
        int h = 2;
        for (int w : new int[] {1, 4, 5}) {
            double[] in = numbered(n * planes * h * w);
            // p = 0.5: 0.25 and 0.4999 flip; exactly 0.5 and 0.9 do not (torchvision: flip when rand < p)
            Script rng = new Script().drawDoubles(0.25, 0.5, 0.9, 0.4999);
            Tensor out = ImageTransforms.randomHorizontalFlip(0.5).apply(Tensor.of(in, n, planes, h, w), rng);
            assertArrayEquals(referenceFlip(in, n, planes, h, w, new boolean[] {true, false, false, true}),
                    out.toDoubleArray(), "width " + w);
            assertTrue(rng.doubles.isEmpty(), "one draw per image");
        }
    }

    @Test
    void flipOfImagesWithoutAChannelDimKeepsTheDtype() {
        int[] pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Tensor images = Tensor.of(pixels, 2, 2, 3);
        Tensor out = ImageTransforms.randomHorizontalFlip(1).apply(images, new Script().drawDoubles(0.999, 0.0));
        assertEquals(DType.INT32, out.dtype());
        assertArrayEquals(new double[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, out.toDoubleArray());
        Tensor none = ImageTransforms.randomHorizontalFlip(0).apply(images, new Script().drawDoubles(0.0, 0.0));
        assertArrayEquals(images.toDoubleArray(), none.toDoubleArray(), "p = 0 never flips, not even a draw of 0");
    }

    @Test
    void toFloatAndNormalize() {
        Tensor bytes = Tensor.of(new byte[] {0, (byte) 255, 51, 102}, 1, 2, 2);
        Tensor f = ImageTransforms.toFloat(bytes);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new double[] {0, 1, 0.2, 0.4}, f.toDoubleArray(), 1e-7);
        assertArrayEquals(f.toDoubleArray(), ImageTransforms.toFloat().apply(bytes, new Script()).toDoubleArray());
        Tensor ints = Tensor.of(new int[] {3, 4}, 1, 1, 2);
        assertArrayEquals(new double[] {3, 4}, ImageTransforms.toFloat(ints).toDoubleArray(), "other integers unscaled");
        Tensor floats = Tensor.of(new double[] {0.5}, 1, 1, 1);
        assertSame(floats, ImageTransforms.toFloat(floats), "floating-point images are returned as they are");
        Transform norm = ImageTransforms.normalize(new double[] {1, 2}, new double[] {0.5, 4});
        Tensor rgb = Tensor.of(new double[] {2, 3, 6, 10}, 1, 2, 1, 2);
        assertArrayEquals(new double[] {2, 4, 1, 2}, norm.apply(rgb, new Script()).toDoubleArray(), 1e-12);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> norm.apply(Tensor.ones(1, 3, 1, 1), new Script()));
        assertTrue(e.getMessage().startsWith("ImageTransforms.normalize: 2 means for images with 3 channel(s)"),
                e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> norm.apply(Tensor.ones(1, 2, 2), new Script()),
                "images without a channel dim have one channel");
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class,
                    () -> ImageTransforms.normalize(new double[] {0}, new double[] {bad}), "std " + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.normalize(new double[] {0, 1},
                new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ImageTransforms.normalize(new double[0], new double[0]));
        Tensor grey = ImageTransforms.normalize(new double[] {0.5}, new double[] {0.25}).apply(
                Tensor.of(new byte[] {1, 3}, 1, 1, 2), new Script());
        assertEquals(DType.FLOAT32, grey.dtype());
        assertArrayEquals(new double[] {2, 10}, grey.toDoubleArray(), 1e-6, "integer pixels converted unscaled");
    }

    @Test
    void flipProbabilityMustBeAProbability() {
        for (double p : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> ImageTransforms.randomHorizontalFlip(p), "p " + p);
        }
        ImageTransforms.randomHorizontalFlip(0);
        ImageTransforms.randomHorizontalFlip(1);
        assertThrows(ShapeMismatchException.class,
                () -> ImageTransforms.randomHorizontalFlip(1).apply(Tensor.ones(4), new Script()));
    }
}
