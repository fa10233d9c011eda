package org.grad4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
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
import org.grad4j.nn.data.ImageTransforms;
import org.grad4j.nn.data.Mnist;
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
 * {@code /usr/share/datasets/fashion-mnist}, read with {@link Mnist}), and optionally how many training and test
 * images to use. The same network trains with the {@code Trainer} as {@code -Dgrad4j.demo=fashion-cnn}
 * ({@link FashionMnistExample#model(String)}).
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
        if (!Mnist.isPresent(dir)) {
            throw new IOException("missing Fashion-MNIST files in " + dir + ": install Debian's dataset-fashion-mnist"
                    + " package or pass the directory holding the four *-ubyte.gz files");
        }
        TensorDataset trainSet = first(Mnist.load(dir, true), trainLimit);
        TensorDataset testSet = first(Mnist.load(dir, false), testLimit);
        Tensor train = ImageTransforms.toFloat(trainSet.features());      // uint8 [N, 28, 28] -> float32 in [0, 1]
        Tensor test = ImageTransforms.toFloat(testSet.features());
        // normalise with the training set's statistics only
        double mean = train.mean().item();
        double std = Math.sqrt(train.sub(mean).square().sum().item() / (train.numel() - 1));
        Tensor xTrain = train.sub(mean).div(std).unsqueeze(1);
        Tensor xTest = test.sub(mean).div(std).unsqueeze(1);
        Tensor yTrain = trainSet.targets();                               // int64 class indices
        int[] testLabels = testSet.targets().toIntArray();

        Init.manualSeed(0);
        Sequential model = model(0);
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(1e-3));
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, epochs);
        DataLoader loader = new DataLoader(new TensorDataset(xTrain, yTrain), 64, true, 0);
        double[] seconds = new double[epochs];
        double lastLoss = Double.NaN;
        double accuracy = 0;
        if (verbose) {
            System.out.printf(Locale.ROOT, "Fashion-MNIST: %d training and %d test images; %s%n", trainSet.size(),
                    testSet.size(), model.toString().lines().findFirst().orElse(""));
            System.out.println(model);
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            long start = System.nanoTime();
            long[] gc0 = collections();
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
            long[] gc1 = collections();
            schedule.step();
            lastLoss = total / seen;
            accuracy = accuracy(model, xTest, testLabels);
            if (verbose) {
                System.out.printf(Locale.ROOT, "epoch %2d: loss %.4f, test accuracy %.4f, %.2f s (%d garbage"
                        + " collections, %.2f s of them)%n", epoch + 1, lastLoss, accuracy, seconds[epoch],
                        gc1[0] - gc0[0], (gc1[1] - gc0[1]) / 1e3);
            }
        }
        return new Result(accuracy, seconds, lastLoss);
    }

    /** Garbage collections so far and their accumulated time in ms, over all of the JVM's collectors. */
    private static long[] collections() {
        long count = 0;
        long millis = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** The first {@code limit} examples of {@code data} (all of them when it has fewer). */
    private static TensorDataset first(TensorDataset data, int limit) {
        int n = Math.min(data.size(), limit);
        return new TensorDataset(data.features().narrow(0, 0, n), data.targets().narrow(0, 0, n));
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

    /** Arguments: [epochs] [data directory] [training images] [test images]. */
    public static void main(String[] args) throws IOException {
        args = CommandLine.words(args);
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = args.length > 1 ? Path.of(args[1]) : DEFAULT_DIR;
        int trainLimit = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        int testLimit = args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
        Result r = run(dir, epochs, trainLimit, testLimit, true);
        System.out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs%n", r.testAccuracy(), epochs);
    }
}
