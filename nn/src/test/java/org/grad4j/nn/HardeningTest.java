package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.Autograd;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.data.DataLoader;
import org.grad4j.nn.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Awkward inputs get PyTorch's answer or a clear error that names the operation and the value. */
class HardeningTest {
    @TempDir
    Path dir;

    private static void assertMessage(String expectedPart, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), "message: " + e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ nulls

    @Test
    void nullArgumentsAreNamedWithTheOperation() {
        Tensor a = Tensor.ones(2);
        assertMessage("mse: reduction is null", () -> Losses.mse(a, a, null));
        assertMessage("mse: target is null", () -> Losses.mse(a, null));
        assertMessage("l1: input is null", () -> Losses.l1(null, a));
        assertMessage("crossEntropy: target is null", () -> Losses.crossEntropy(Tensor.ones(2, 3), (Tensor) null));
        assertMessage("crossEntropy: target is null", () -> Losses.crossEntropy(Tensor.ones(2, 3), (int[]) null));
        assertMessage("nll: logProbs is null", () -> Losses.nll(null, a));
        assertMessage("Sequential.add: module 0 is null", () -> new Sequential((Module) null));
        assertMessage("Sequential: modules is null", () -> new Sequential((Module[]) null));
        TensorDataset ds = new TensorDataset(Tensor.ones(4, 2), Tensor.ones(4));
        assertMessage("DataLoader: rng", () -> new DataLoader(ds, 4, true, false, null));
        assertMessage("DataLoader: dataset is null", () -> new DataLoader(null, 4, true, 1L));
        assertMessage("TensorDataset: targets is null", () -> new TensorDataset(a, null));
        assertMessage("leakyRelu: x is null", () -> Activations.leakyRelu(null));
        assertMessage("TensorDataset.batch: row 9", () -> ds.batch(new int[] {0, 9}));
    }

    // ------------------------------------------------------------------------------------------------ data

    @Test
    void aBatchSizeNearIntegerMaxGivesTheWholeSetAsOneBatch() {
        TensorDataset ds = new TensorDataset(Tensor.arange(10).reshape(5, 2), Tensor.arange(5));
        for (int size : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 1, 5, 6}) {
            DataLoader loader = new DataLoader(ds, size, true, false, new SplittableRandom(1));
            assertEquals(1, loader.batchesPerEpoch(), "batch size " + size);
            int batches = 0;
            for (TensorDataset.Batch b : loader) {
                assertEquals(5, b.size());
                batches++;
            }
            assertEquals(1, batches);
        }
        assertEquals(0, new DataLoader(ds, Integer.MAX_VALUE, false, true, new SplittableRandom(1))
                .batchesPerEpoch(), "dropLast with a batch larger than the set: none");
        assertEquals(2, new DataLoader(ds, 2, false, true, new SplittableRandom(1)).batchesPerEpoch());
        assertEquals(3, new DataLoader(ds, 2, false, false, new SplittableRandom(1)).batchesPerEpoch());
    }

    // ------------------------------------------------------------------------------------------------ losses

    @Test
    void bceWithLogitsAtInfinityIsInfAsInPyTorch() {
        Tensor x = Tensor.of(new double[] {Double.POSITIVE_INFINITY, 1000, -1000, 0.5});
        Tensor t = Tensor.of(new double[] {0, 0, 1, 0.25});
        double[] loss = Losses.bceWithLogits(x, t, null, null, Reduction.NONE).toDoubleArray();
        assertEquals(Double.POSITIVE_INFINITY, loss[0]);
        assertEquals(1000, loss[1], 1e-12);
        assertEquals(1000, loss[2], 1e-12);
        // max(x,0) - x t + log1p(exp(-|x|)) at x = 0.5, t = 0.25
        assertEquals(0.5 - 0.125 + Math.log1p(Math.exp(-0.5)), loss[3], 1e-15);
    }

    @Test
    void crossEntropyWithEveryTargetIgnoredIsNanWithZeroGradientAsInPyTorch() {
        Tensor logits = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(logits, Tensor.of(new long[] {-100, -100}));
        assertTrue(Double.isNaN(loss.item()));
        loss.backward();
        assertArrayEquals(new double[6], logits.grad().toDoubleArray(), 0.0);
        Tensor some = Losses.crossEntropy(logits.detach(), Tensor.of(new long[] {-100, 2}));
        assertEquals(-Math.log(Math.exp(6) / (Math.exp(4) + Math.exp(5) + Math.exp(6))), some.item(), 1e-12);
    }

    @Test
    void badClassIndicesNameTheUsersValue() {
        Tensor logits = Tensor.ones(2, 3);
        // Class indices are integers now: a float target (where -inf or NaN could hide) is refused by its dtype.
        assertMessage("class-index targets must be int64 or int32, got a float32 tensor",
                () -> Losses.crossEntropy(logits, Tensor.of(new float[] {0, Float.NEGATIVE_INFINITY}, 2)));
        assertMessage("class index -9223372036854775808 at flat position 1",
                () -> Losses.crossEntropy(logits, Tensor.of(new long[] {0, Long.MIN_VALUE})));
        assertMessage("class index 7 at flat position 0", () -> Losses.nll(logits, new int[] {7, 0}));
    }

    @Test
    void everyElementwiseLossChecksShapes() {
        Tensor a = Tensor.ones(2, 3);
        Tensor b = Tensor.ones(3, 2).mul(0.5);
        for (String name : List.of("mse", "l1", "huber", "bce", "bceWithLogits")) {
            Executable call = switch (name) {
                case "mse" -> () -> Losses.mse(a, b);
                case "l1" -> () -> Losses.l1(a, b);
                case "huber" -> () -> Losses.huber(a, b);
                case "bce" -> () -> Losses.bce(a.mul(0.5), b);
                default -> () -> Losses.bceWithLogits(a, b);
            };
            assertMessage(name + ": target shape [3, 2] does not match input shape [2, 3]", call);
            Tensor wrongDtype = Tensor.ones(2, 3).to(DType.FLOAT64).mul(0.5);
            Executable dtypeCall = switch (name) {
                case "mse" -> () -> Losses.mse(a, wrongDtype);
                case "l1" -> () -> Losses.l1(a, wrongDtype);
                case "huber" -> () -> Losses.huber(a, wrongDtype);
                case "bce" -> () -> Losses.bce(a.mul(0.5), wrongDtype);
                default -> () -> Losses.bceWithLogits(a, wrongDtype);
            };
            assertMessage(name + ": target is float64 but the input is float32", dtypeCall);
        }
    }

    // ------------------------------------------------------------------------------------------------ 2nd order

    @Test
    void secondDerivativesThroughLeakyReluAndL1AreZerosAsInPyTorch() {
        Tensor x = Tensor.of(new double[] {0.5, -2.0, 0.0}).requiresGrad(true);
        Tensor g = Autograd.grad(Activations.leakyRelu(x, 0.1).sum(), x, true);
        assertArrayEquals(new double[] {1, 0.1, 0.1}, g.toDoubleArray(), 1e-15);
        assertTrue(g.requiresGrad(), "the first gradient carries a graph");
        assertArrayEquals(new double[3], Autograd.grad(g.sum(), x, false).toDoubleArray(), 0.0);

        Tensor target = Tensor.zeros(DType.FLOAT64, 3);
        Tensor gl1 = Autograd.grad(Losses.l1(x, target), x, true);
        assertArrayEquals(new double[] {1.0 / 3, -1.0 / 3, 0}, gl1.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[3], Autograd.grad(gl1.sum(), x, false).toDoubleArray(), 0.0);

        // the first derivative still feeds a second one through other paths: d/dx sum(x * leakyRelu'(x) * x)
        Tensor h = Autograd.grad(Activations.leakyRelu(x, 0.1).sum(), x, true).mul(x.square()).sum();
        assertArrayEquals(new double[] {1.0, 0.1 * -4, 0}, Autograd.grad(h, x, false).toDoubleArray(), 1e-15);
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    @Test
    void checkpointMessagesNameThePath() throws IOException {
        Linear model = new Linear(2, 1);
        FileSystemException isDir = assertThrows(FileSystemException.class, () -> model.load(dir));
        assertTrue(isDir.getMessage().contains(dir.toString()) && isDir.getMessage().contains("directory"),
                isDir.getMessage());
        FileSystemException saveDir = assertThrows(FileSystemException.class, () -> model.save(Path.of("/")));
        assertTrue(saveDir.getMessage().contains("directory"), saveDir.getMessage());
        Path missing = dir.resolve("no-such-dir");
        NoSuchFileException noDir = assertThrows(NoSuchFileException.class,
                () -> model.save(missing.resolve("m.safetensors")));
        assertTrue(noDir.getMessage().contains(missing.toString()) && !noDir.getMessage().contains(".tmp"),
                noDir.getMessage());
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());

        Path file = dir.resolve("m.safetensors");
        model.save(file);
        Thread.currentThread().interrupt();
        try {
            InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> model.load(file));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("interrupt"),
                    e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        model.load(file);
        assertFalse(Files.isDirectory(file));
        assertThrows(IllegalArgumentException.class, () -> model.save(null));
    }
}
