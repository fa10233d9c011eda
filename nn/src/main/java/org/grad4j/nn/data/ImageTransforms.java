package org.grad4j.nn.data;

import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;

/**
 * Batch transforms for images, as {@code torchvision.transforms}: features of shape {@code [batch, channels, height,
 * width]} or {@code [batch, height, width]} (one channel). Random ones are seeded through the {@link DataLoader}.
 * <pre>{@code
 * Transform train = ImageTransforms.toFloat()                       // uint8 pixels to [0, 1]
 *         .andThen(ImageTransforms.randomCrop(28, 2))
 *         .andThen(ImageTransforms.randomHorizontalFlip(0.5))
 *         .andThen(ImageTransforms.normalize(new double[] {0.2860}, new double[] {0.3530}));
 * var loader = DataLoader.builder(trainSet).batchSize(64).shuffle(true).transform(train).build();
 * }</pre>
 */
public final class ImageTransforms {
    private ImageTransforms() {
    }

    /**
     * Pixels as float32 in [0, 1], as torchvision's {@code ToTensor}: uint8 values are divided by 255; float
     * tensors are returned as they are; other integer dtypes are converted to float32 unscaled.
     */
    public static Tensor toFloat(Tensor images) {
        Args.notNull(images, "ImageTransforms.toFloat", "images");
        if (images.dtype().isFloatingPoint()) {
            return images;
        }
        Tensor f = images.to(DType.FLOAT32);
        // In place on the fresh copy: a second float copy of a whole data set would double the loading peak.
        return images.dtype() == DType.UINT8 ? f.divInPlace(255.0) : f;
    }

    /** {@link #toFloat(Tensor)} as a batch transform, e.g. first in a chain over uint8 images. */
    public static Transform toFloat() {
        return (features, rng) -> toFloat(features);
    }

    /**
     * {@code (x - mean[c]) / std[c]} per channel (integer images are converted to float32 first, unscaled); one value each for images without a channel dim. Typical values
     * for pixels scaled to [0, 1]: MNIST 0.1307 / 0.3081, Fashion-MNIST 0.2860 / 0.3530.
     */
    public static Transform normalize(double[] mean, double[] std) {
        Args.notNull(mean, "ImageTransforms.normalize", "mean");
        Args.notNull(std, "ImageTransforms.normalize", "std");
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("ImageTransforms.normalize: need one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("ImageTransforms.normalize: every std must be positive and finite,"
                        + " got " + Arrays.toString(std));
            }
        }
        double[] m = mean.clone();
        double[] sd = std.clone();
        return (features, rng) -> {
            int[] shape = checkImages("normalize", features);
            int channels = shape.length == 4 ? shape[1] : 1;
            if (channels != m.length) {
                throw new ShapeMismatchException("ImageTransforms.normalize: " + m.length + " means for images with "
                        + channels + " channel(s), shape " + Arrays.toString(shape));
            }
            int[] statShape = shape.length == 4 ? new int[] {channels, 1, 1} : new int[] {1, 1};
            Tensor x = features.dtype().isFloatingPoint() ? features : features.to(DType.FLOAT32);
            Tensor meanT = Tensor.of(m, statShape).to(x.dtype());
            Tensor stdT = Tensor.of(sd, statShape).to(x.dtype());
            return x.sub(meanT).div(stdT);
        };
    }

    /**
     * Pads each image by {@code padding} zeros on every side, then cuts a {@code size x size} window at a random
     * position (a new one per image), as {@code RandomCrop(size, padding)}.
     */
    public static Transform randomCrop(int size, int padding) {
        if (size <= 0 || padding < 0) {
            throw new IllegalArgumentException("ImageTransforms.randomCrop: need size > 0 and padding >= 0, got size="
                    + size + ", padding=" + padding);
        }
        return (features, rng) -> {
            int[] shape = checkImages("randomCrop", features);
            int n = shape[0];
            int channels = shape.length == 4 ? shape[1] : 1;
            int h = shape[shape.length - 2];
            int w = shape[shape.length - 1];
            if (size > h + 2L * padding || size > w + 2L * padding) {
                throw new ShapeMismatchException("ImageTransforms.randomCrop: a " + size + "x" + size + " window does"
                        + " not fit in " + h + "x" + w + " images padded by " + padding);
            }
            double[] in = features.toDoubleArray();
            double[] out = new double[n * channels * size * size];
            for (int i = 0; i < n; i++) {
                int top = rng.nextInt(h + 2 * padding - size + 1) - padding;
                int left = rng.nextInt(w + 2 * padding - size + 1) - padding;
                for (int c = 0; c < channels; c++) {
                    int src = (i * channels + c) * h * w;
                    int dst = (i * channels + c) * size * size;
                    for (int y = 0; y < size; y++) {
                        int sy = top + y;
                        if (sy < 0 || sy >= h) continue;
                        for (int x = 0; x < size; x++) {
                            int sx = left + x;
                            if (sx >= 0 && sx < w) out[dst + y * size + x] = in[src + sy * w + sx];
                        }
                    }
                }
            }
            int[] outShape = shape.clone();
            outShape[shape.length - 2] = size;
            outShape[shape.length - 1] = size;
            return sameDType(Tensor.of(out, outShape), features.dtype());
        };
    }

    /** Mirrors each image left to right with probability {@code p}, as {@code RandomHorizontalFlip(p)}. */
    public static Transform randomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("ImageTransforms.randomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        return (features, rng) -> {
            int[] shape = checkImages("randomHorizontalFlip", features);
            int n = shape[0];
            int planes = shape.length == 4 ? shape[1] : 1;
            int h = shape[shape.length - 2];
            int w = shape[shape.length - 1];
            double[] data = features.toDoubleArray();
            for (int i = 0; i < n; i++) {
                if (rng.nextDouble() >= p) continue;
                for (int c = 0; c < planes; c++) {
                    int base = (i * planes + c) * h * w;
                    for (int y = 0; y < h; y++) {
                        int row = base + y * w;
                        for (int x = 0; x < w / 2; x++) {
                            double t = data[row + x];
                            data[row + x] = data[row + w - 1 - x];
                            data[row + w - 1 - x] = t;
                        }
                    }
                }
            }
            return sameDType(Tensor.of(data, shape), features.dtype());
        };
    }

    private static Tensor sameDType(Tensor t, DType dtype) {
        return t.dtype() == dtype ? t : t.to(dtype);
    }

    private static int[] checkImages(String op, Tensor features) {
        Args.notNull(features, "ImageTransforms." + op, "features");
        int[] shape = features.shape();
        if (shape.length != 3 && shape.length != 4) {
            throw new ShapeMismatchException("ImageTransforms." + op + ": expects a batch of images [batch, height,"
                    + " width] or [batch, channels, height, width], got shape " + Arrays.toString(shape)
                    + " (reshape flat features first, e.g. x.reshape(-1, 1, 28, 28))");
        }
        return shape;
    }
}
