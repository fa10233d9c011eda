package org.grad4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.CrossEntropyLoss;
import org.grad4j.nn.Linear;
import org.grad4j.nn.ReLU;
import org.grad4j.nn.Sequential;
import org.grad4j.nn.data.ImageTransforms;
import org.grad4j.nn.data.Mnist;
import org.grad4j.optim.Adam;

/**
 * Peak memory of a short Fashion-MNIST training run, the twin of {@code benchmarks/pytorch/peak_memory_torch.py}:
 * the 60,000 training images as float32 in [0, 1] ({@code [60000, 784]}, 188 MB), the 784-256-128-10 MLP of
 * {@link MlpTrainingStepBenchmark} with Adam (lr 1e-3), cross-entropy, batches of 128 drawn from a shuffled order,
 * a fixed number of steps; then it prints the process's peak resident set ({@code VmHWM} of
 * {@code /proc/self/status}), which covers the JVM's heap, its own structures and the loaded code.
 * <pre>
 * mvn -q compile dependency:build-classpath -pl benchmarks -am -Dmdep.outputFile=/tmp/cp.txt
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/classes:$(cat /tmp/cp.txt) \
 *     org.grad4j.benchmarks.PeakMemoryBenchmark [steps] [keep]
 * </pre>
 * {@code steps} defaults to 300; with {@code keep} the step zeroes the gradients in place
 * ({@code zeroGrad(false)}) instead of setting them to null. Add JVM flags (a heap limit, another collector) to
 * see their effect; the default JVM settings are what the README's comparison uses.
 */
public final class PeakMemoryBenchmark {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int BATCH = 128;

    private PeakMemoryBenchmark() {
    }

    /** Runs the training steps and prints the peak and current resident set sizes in MB. */
    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        boolean keepGrads = args.length > 1 && args[1].equals("keep");
        Path directory = Path.of(System.getProperty("grad4j.data", DATA.toString()));
        org.grad4j.nn.data.TensorDataset raw = Mnist.load(directory, true);
        Tensor images = ImageTransforms.toFloat(raw.features());
        Tensor labels = raw.targets();
        raw = null;   // the uint8 images may go: PyTorch's twin keeps only the float copy too
        int n = images.size(0);
        Tensor x = images.reshape(n, 784);
        SplittableRandom rng = new SplittableRandom(7);
        int[] layers = MlpTrainingStepBenchmark.LAYERS;
        Sequential model = new Sequential(
                new Linear(layers[0], layers[1], true, DType.FLOAT32, rng), new ReLU(),
                new Linear(layers[1], layers[2], true, DType.FLOAT32, rng), new ReLU(),
                new Linear(layers[2], layers[3], true, DType.FLOAT32, rng));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(1e-3));
        int[] order = shuffled(n, rng);
        double loss = Double.NaN;
        long start = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            int first = (step * BATCH) % (n - BATCH + 1);
            int[] rows = java.util.Arrays.copyOfRange(order, first, first + BATCH);
            optimizer.zeroGrad(!keepGrads);
            Tensor out = lossFn.forward(model.forward(x.indexSelect(0, rows)), labels.indexSelect(0, rows));
            out.backward();
            optimizer.step();
            loss = out.item();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("grad4j: %d steps of batch %d%s in %.1f s, last loss %.4f; peak RSS (VmHWM) %.0f MB,"
                + " RSS now %.0f MB, max heap %.0f MB%n", steps, BATCH, keepGrads ? " (zeroGrad(false))" : "",
                seconds, loss, statusMegabytes("VmHWM"), statusMegabytes("VmRSS"),
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** A {@code kB} line of {@code /proc/self/status} in MB (Linux only). */
    static double statusMegabytes(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
