package org.grad4j.examples;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;
import org.grad4j.nn.Conv2d;
import org.grad4j.nn.ConvOptions;
import org.grad4j.nn.Flatten;
import org.grad4j.nn.Init;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Losses;
import org.grad4j.nn.MaxPool2d;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.TensorDataset;
import org.grad4j.optim.Adam;
import org.grad4j.optim.CosineAnnealingLR;

/**
 * A small convolutional network on Fashion-MNIST (70,000 28x28 grey images of clothes in 10 classes): two 5x5
 * convolutions with ReLU and 2x2 max pooling, then two linear layers; Adam (learning rate 1e-3, cosine-annealed to 0 over
 * the epochs), batch 64. About 91% test accuracy after 10 epochs. {@code benchmarks/pytorch/fashion_cnn_torch.py} is the same network in PyTorch, for the epoch-time
 * comparison in the README.
 *
 * <pre>
 * mvn -q compile exec:exec -pl examples -am -Ddemo.main=org.grad4j.examples.FashionCnn -Ddemo.args="10"
 * </pre>
 * Arguments: epochs (default 10), the directory of the four {@code *-idx?-ubyte.gz} files (default Debian's
 * {@code /usr/share/datasets/fashion-mnist}), and optionally how many training and test images to use.
 */
public final class FashionCnn {
    private FashionCnn() {
    }

    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** What a run achieved. */
    public record Result(double testAccuracy, double[] epochSeconds, double lastLoss) {
    }

    /** The network: {@code conv(1->16, 5x5, pad 2) relu pool2 conv(16->32, 5x5) relu pool2 fc(800->128) relu fc(128->10)}. */
    public static Sequential model(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(
                new Conv2d(1, 16, 5, ConvOptions.create().padding(2).rng(rng)), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 5, ConvOptions.create().rng(rng)), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(32 * 5 * 5, 128, true, org.grad4j.core.DType.FLOAT32, rng), new ReLU(),
                new Linear(128, 10, true, org.grad4j.core.DType.FLOAT32, rng));
    }

    /** Trains on the first {@code trainLimit} training images and evaluates on the first {@code testLimit} test images. */
    public static Result run(Path dir, int epochs, int trainLimit, int testLimit, boolean verbose) throws IOException {
        float[][] train = readImages(dir.resolve("train-images-idx3-ubyte.gz"), trainLimit);
        int[] trainLabels = readLabels(dir.resolve("train-labels-idx1-ubyte.gz"), trainLimit);
        float[][] test = readImages(dir.resolve("t10k-images-idx3-ubyte.gz"), testLimit);
        int[] testLabels = readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), testLimit);
        // normalise with the training set's statistics only
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (float[] img : train) {
            for (float v : img) {
                sum += v;
                sumSq += (double) v * v;
                count++;
            }
        }
        double mean = sum / count;
        double std = Math.sqrt((sumSq - sum * mean) / (count - 1));
        Tensor xTrain = toTensor(train, mean, std);
        Tensor xTest = toTensor(test, mean, std);
        Tensor yTrain = labelsTensor(trainLabels);

        Init.manualSeed(0);
        Sequential model = model(0);
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(1e-3));
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, epochs);
        DataLoader loader = new DataLoader(new TensorDataset(xTrain, yTrain), 64, true, 0);
        double[] seconds = new double[epochs];
        double lastLoss = Double.NaN;
        double accuracy = 0;
        if (verbose) {
            System.out.printf(Locale.ROOT, "Fashion-MNIST: %d training and %d test images; %s%n", train.length,
                    test.length, model.toString().lines().findFirst().orElse(""));
            System.out.println(model);
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            long start = System.nanoTime();
            double total = 0;
            int seen = 0;
            for (TensorDataset.Batch batch : loader) {
                Tensor loss = Losses.crossEntropy(model.forward(batch.features()), batch.targets());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                total += loss.item() * batch.size();
                seen += batch.size();
            }
            seconds[epoch] = (System.nanoTime() - start) / 1e9;
            schedule.step();
            lastLoss = total / seen;
            accuracy = accuracy(model, xTest, testLabels);
            if (verbose) {
                System.out.printf(Locale.ROOT, "epoch %2d: loss %.4f, test accuracy %.4f, %.2f s%n", epoch + 1,
                        lastLoss, accuracy, seconds[epoch]);
            }
        }
        return new Result(accuracy, seconds, lastLoss);
    }

    static double accuracy(Sequential model, Tensor x, int[] labels) {
        model.eval();
        int correct = 0;
        try (Grad.Scope off = Grad.disabled()) {
            for (int start = 0; start < labels.length; start += 1000) {
                int len = Math.min(1000, labels.length - start);
                Tensor predicted = model.forward(x.narrow(0, start, len)).argmax(1, false);
                for (int i = 0; i < len; i++) {
                    if ((int) predicted.get(i) == labels[start + i]) correct++;
                }
            }
        }
        return (double) correct / labels.length;
    }

    private static Tensor toTensor(float[][] images, double mean, double std) {
        float[] data = new float[images.length * 28 * 28];
        for (int i = 0; i < images.length; i++) {
            for (int j = 0; j < 784; j++) data[i * 784 + j] = (float) ((images[i][j] - mean) / std);
        }
        return Tensor.of(data, images.length, 1, 28, 28);
    }

    private static Tensor labelsTensor(int[] labels) {
        float[] data = new float[labels.length];
        for (int i = 0; i < labels.length; i++) data[i] = labels[i];
        return Tensor.of(data, labels.length).to(org.grad4j.core.DType.INT64);
    }

    // ------------------------------------------------------------------------------------------------ IDX files

    /** Pixels scaled to [0, 1] from a gzipped IDX3 file (magic 0x00000803, big-endian counts, one byte per pixel). */
    static float[][] readImages(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new IOException(file + ": not an IDX image file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int n = Math.min(in.readInt(), limit);
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new IOException(file + ": expected 28x28 images, got " + rows + "x" + cols);
            }
            byte[] buffer = new byte[rows * cols];
            float[][] out = new float[n][rows * cols];
            for (int i = 0; i < n; i++) {
                in.readFully(buffer);
                for (int j = 0; j < buffer.length; j++) out[i][j] = (buffer[j] & 0xff) / 255f;
            }
            return out;
        }
    }

    /** Labels from a gzipped IDX1 file (magic 0x00000801). */
    static int[] readLabels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new IOException(file + ": not an IDX label file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int n = Math.min(in.readInt(), limit);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = in.readUnsignedByte();
            return out;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing " + file + ": install Debian's dataset-fashion-mnist package or pass the"
                    + " directory holding the four *-ubyte.gz files");
        }
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
    }

    /** Arguments: [epochs] [data directory] [training images] [test images]. */
    public static void main(String[] args) throws IOException {
        args = String.join(" ", args).trim().isEmpty() ? new String[0] : String.join(" ", args).trim().split("\\s+");
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = args.length > 1 ? Path.of(args[1]) : DEFAULT_DIR;
        int trainLimit = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        int testLimit = args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
        Result r = run(dir, epochs, trainLimit, testLimit, true);
        System.out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs%n", r.testAccuracy(), epochs);
    }
}
