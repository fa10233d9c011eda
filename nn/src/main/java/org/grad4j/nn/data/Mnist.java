package org.grad4j.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * MNIST and Fashion-MNIST from their four IDX files in one directory ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or
 * with {@code .gz}), as {@code torchvision.datasets.MNIST}'s {@code data} and {@code targets}: images
 * {@code [n, 28, 28]} as uint8 pixels 0..255, labels {@code [n]} as int64 class indices 0..9. Models want float
 * pixels in [0, 1]: convert once with {@link ImageTransforms#toFloat(Tensor)} (as torchvision's {@code ToTensor}),
 * or per batch with the {@link ImageTransforms#toFloat()} transform.
 * <pre>{@code
 * Path dir = Path.of("/usr/share/datasets/fashion-mnist");
 * TensorDataset raw = Mnist.load(dir, true);                                        // 60,000 images, uint8
 * TensorDataset train = raw.withFeatures(ImageTransforms.toFloat(raw.features()));  // float32 in [0, 1]
 * TensorDataset test = Mnist.load(dir, false);                                      // 10,000 images
 * }</pre>
 * Images and labels are checked against each other (same count, images 3-d, labels 1-d in 0..9).
 */
public final class Mnist {
    private Mnist() {
    }

    /** Fashion-MNIST's class names, by label. */
    public static final java.util.List<String> FASHION_CLASSES = java.util.List.of("T-shirt/top", "Trouser",
            "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Whether {@code directory} holds all four files (plain or gzipped). */
    public static boolean isPresent(Path directory) {
        Args.notNull(directory, "Mnist.isPresent", "directory");
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            if (find(directory, name) == null) return false;
        }
        return true;
    }

    /** The training set ({@code train = true}) or the test set from {@code directory}. */
    public static TensorDataset load(Path directory, boolean train) throws IOException {
        Args.notNull(directory, "Mnist.load", "directory");
        String prefix = train ? "train" : "t10k";
        Path imagesFile = require(directory, prefix + "-images-idx3-ubyte");
        Path labelsFile = require(directory, prefix + "-labels-idx1-ubyte");
        Tensor images = Idx.read(imagesFile);
        Tensor labels = Idx.read(labelsFile);
        if (images.dim() != 3) {
            throw new DataFormatException(imagesFile, "expected images [n, rows, columns], got dims "
                    + Arrays.toString(images.shape()));
        }
        if (labels.dim() != 1) {
            throw new DataFormatException(labelsFile, "expected labels [n], got dims "
                    + Arrays.toString(labels.shape()));
        }
        if (images.size(0) != labels.size(0)) {
            throw new DataFormatException(labelsFile, "holds " + labels.size(0) + " labels but " + imagesFile
                    + " holds " + images.size(0) + " images");
        }
        if (images.dtype() != DType.UINT8 || labels.dtype() != DType.UINT8) {
            throw new DataFormatException(images.dtype() != DType.UINT8 ? imagesFile : labelsFile, "expected"
                    + " unsigned bytes (IDX type 0x08), got " + (images.dtype() != DType.UINT8 ? images : labels)
                    .dtype());
        }
        long[] l = labels.toLongArray();
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] > 9) {
                throw new DataFormatException(labelsFile, "label " + i + " is " + l[i] + ", expected 0..9");
            }
        }
        return new TensorDataset(images, Tensor.of(l, l.length));
    }

    private static Path require(Path directory, String name) throws IOException {
        Path found = find(directory, name);
        if (found == null) {
            throw new NoSuchFileException(directory.resolve(name).toString(), null, "neither " + name + " nor "
                    + name + ".gz is in " + directory + " (download MNIST or Fashion-MNIST's four IDX files there)");
        }
        return found;
    }

    private static Path find(Path directory, String name) {
        for (Path p : new Path[] {directory.resolve(name), directory.resolve(name + ".gz")}) {
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
