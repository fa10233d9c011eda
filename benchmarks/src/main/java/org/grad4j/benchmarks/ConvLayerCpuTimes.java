package org.grad4j.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * Thread CPU time of the layers of {@link CnnTrainingStepBenchmark}'s network at batch 64, one at a time: the first
 * convolution (1 -> 16, 5x5, padding 2, 28x28; its input needs no gradient), the second (16 -> 32, 5x5, 14x14), each
 * forward alone and forward plus backward, and the first max pooling forward plus backward. For A/B comparisons of
 * the convolution code on a loaded machine (the second layer's input and weight gradients also each alone, with
 * its forward without bias to subtract); run with {@code -Dgrad4j.gemm.threads=1} (and {@code taskset -c 1}) so
 * that all the work is on the measured thread. Every case runs in turn for a while before any is timed.
 */
public final class ConvLayerCpuTimes {
    private ConvLayerCpuTimes() {
    }

    /** Prints one line per layer: median thread CPU time per call, mean, bytes allocated per call. */
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x1 = Tensor.randn(rng, DType.FLOAT32, 64, 1, 28, 28);
        Tensor w1 = Tensor.randn(rng, DType.FLOAT32, 16, 1, 5, 5).requiresGrad(true);
        Tensor b1 = Tensor.randn(rng, DType.FLOAT32, 16).requiresGrad(true);
        Tensor g1 = Tensor.randn(rng, DType.FLOAT32, 64, 16, 28, 28);
        Tensor x2 = Tensor.randn(rng, DType.FLOAT32, 64, 16, 14, 14).requiresGrad(true);
        Tensor w2 = Tensor.randn(rng, DType.FLOAT32, 32, 16, 5, 5).requiresGrad(true);
        Tensor b2 = Tensor.randn(rng, DType.FLOAT32, 32).requiresGrad(true);
        Tensor g2 = Tensor.randn(rng, DType.FLOAT32, 64, 32, 10, 10);
        Tensor p = Tensor.randn(rng, DType.FLOAT32, 64, 16, 28, 28).requiresGrad(true);
        Tensor gp = Tensor.randn(rng, DType.FLOAT32, 64, 16, 14, 14);
        Tensor gp1 = Tensor.randn(rng, DType.FLOAT32, 64, 16, 28, 28);
        int[] one = {1, 1};
        int[] two = {2, 2};
        int[] zero = {0, 0};
        Map<String, DoubleSupplier> cases = new LinkedHashMap<>();
        cases.put("conv1 forward", () -> {
            try (Grad.Scope off = Grad.disabled()) {
                return x1.conv2d(w1, b1, one, two, one, 1).get(0, 0, 0, 0);
            }
        });
        cases.put("conv1 forward+backward", () -> {
            x1.conv2d(w1, b1, one, two, one, 1).backward(g1);
            w1.zeroGrad();
            b1.zeroGrad();
            return 0;
        });
        cases.put("conv2 forward", () -> {
            try (Grad.Scope off = Grad.disabled()) {
                return x2.conv2d(w2, b2, one, zero, one, 1).get(0, 0, 0, 0);
            }
        });
        cases.put("conv2 forward+backward", () -> {
            x2.conv2d(w2, b2, one, zero, one, 1).backward(g2);
            x2.zeroGrad();
            w2.zeroGrad();
            b2.zeroGrad();
            return 0;
        });
        // each gradient of the second layer alone (forward included): the other operand needs no gradient
        Tensor x2Const = x2.detach();
        Tensor w2Const = w2.detach();
        cases.put("conv2 forward+input grad", () -> {
            x2.conv2d(w2Const, null, one, zero, one, 1).backward(g2);
            x2.zeroGrad();
            return 0;
        });
        cases.put("conv2 forward+weight grad", () -> {
            x2Const.conv2d(w2, null, one, zero, one, 1).backward(g2);
            w2.zeroGrad();
            return 0;
        });
        cases.put("conv2 forward, no bias", () -> {
            try (Grad.Scope off = Grad.disabled()) {
                return x2.conv2d(w2, null, one, zero, one, 1).get(0, 0, 0, 0);
            }
        });
        // the second layer's input gradient alone: a transposed convolution of g2 with w2 ([32, 16, 5, 5] read as
        // [Cin, Cout, kh, kw]) is the same primitive
        cases.put("conv2 input grad alone", () -> {
            try (Grad.Scope off = Grad.disabled()) {
                return g2.convTranspose2d(w2, null, one, zero, zero, one, 1).get(0, 0, 0, 0);
            }
        });
        // the first layer's ReLU, forward and backward, and its backward's tensor-op form (a mask, then where)
        Tensor r = Tensor.randn(rng, DType.FLOAT32, 64, 16, 28, 28).requiresGrad(true);
        Tensor rOut = r.detach().relu();
        Tensor zeroScalar = Tensor.scalar(0, DType.FLOAT32);
        cases.put("relu1 forward+backward", () -> {
            r.relu().backward(gp1);
            r.zeroGrad();
            return 0;
        });
        cases.put("relu1 backward as where(y > 0, g, 0)", () -> {
            try (Grad.Scope off = Grad.disabled()) {
                return Tensor.where(rOut.gt(0), gp1, zeroScalar).get(0, 0, 0, 0);
            }
        });
        cases.put("maxpool1 forward+backward", () -> {
            p.maxPool2d(two, two, zero, one, false).backward(gp);
            p.zeroGrad();
            return 0;
        });
        // All layers in turn before any is timed, as in a training step: warmed up one after the other, a later
        // layer's GEMM shapes reach the JIT after an earlier layer's profile (the first layer's weight gradient
        // alone, m = 25) and the second layer's forward measured 50% slower.
        for (int round = 0; round < 300; round++) {
            for (DoubleSupplier call : cases.values()) call.getAsDouble();
        }
        // arguments, if any, pick the cases to time: those whose names contain one of them
        cases.forEach((name, call) -> {
            if (args.length == 0 || Arrays.stream(args).anyMatch(name::contains)) {
                CpuTimes.report(name, call, 1);
            }
        });
    }
}
