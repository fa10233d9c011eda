package org.grad4j.core.repro;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * A seeded MLP trained with core ops only (matmul, tanh, sigmoid, softmax, logSoftmax, sums, manual SGD), and a
 * product large enough to be split across GEMM threads; {@link #fingerprint()} hashes every bit of the results.
 * {@link ReproducibilityTest} compares fingerprints across runs, JVMs, kernels, vector widths and thread counts;
 * {@link #main} prints one for a forked JVM.
 */
public final class SeededTraining {
    private SeededTraining() {
    }

    static final int SAMPLES = 64;
    static final int FEATURES = 20;
    static final int HIDDEN = 32;
    static final int CLASSES = 4;
    static final int STEPS = 60;

    /** SHA-256 (hex) of the trained weights, the last loss and a large product, float32 and float64. */
    public static String fingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Tensor t : train(dtype)) digest.update(bits(t));
            Tensor a = Tensor.randn(7, 260, 260).to(dtype);
            Tensor b = Tensor.randn(8, 260, 260).to(dtype);
            digest.update(bits(a.matmul(b.t())));   // 260^3 > 2^24 multiply-adds: split across GEMM threads
            digest.update(bits(a.exp().sum(1)));
            digest.update(bits(a.square().sum().sqrt()));
            // conv2d fused with relu, forward and backward: 15 M multiply-adds, split across threads
            Tensor image = Tensor.randn(9, 16, 3, 28, 28).to(dtype).requiresGrad(true);
            Tensor kernel = Tensor.randn(10, 16, 3, 5, 5).to(dtype).mul(0.2).requiresGrad(true);
            Tensor act = image.conv2dRelu(kernel, null, new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1);
            act.square().sum().backward();
            for (Tensor t : new Tensor[] {act, image.grad(), kernel.grad()}) digest.update(bits(t));
            // conv2d, relu and max pooling fused: with an input gradient, and as a first layer (streamed backward)
            Tensor convBias = Tensor.randn(10, 16).to(dtype).mul(0.1).requiresGrad(true);
            int[] two = {2, 2};
            int[] one = {1, 1};
            Tensor pooled = image.conv2dReluMaxPool2d(kernel, convBias, one, two, one, 1, two, null, new int[] {0, 0},
                    one, false);
            pooled.square().sum().backward();
            Tensor first = image.detach().conv2dReluMaxPool2d(kernel, convBias, one, two, one, 1, two, null,
                    new int[] {0, 0}, one, false);
            first.square().sum().backward();
            for (Tensor t : new Tensor[] {pooled, first, image.grad(), kernel.grad(), convBias.grad()}) {
                digest.update(bits(t));
            }
            // linear fused with relu, forward and backward: 256 x 512 x 64 = 8.4 M multiply-adds, split across threads
            Tensor rows = Tensor.randn(11, 256, 512).to(dtype).requiresGrad(true);
            Tensor weight = Tensor.randn(12, 64, 512).to(dtype).mul(0.05).requiresGrad(true);
            Tensor bias = Tensor.randn(13, 64).to(dtype).requiresGrad(true);
            Tensor hidden = Tensor.linearRelu(rows, weight, bias);
            hidden.square().sum().backward();
            for (Tensor t : new Tensor[] {hidden, rows.grad(), weight.grad(), bias.grad()}) digest.update(bits(t));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The weights after {@link #STEPS} steps of SGD, then the last loss. */
    static Tensor[] train(DType dtype) {
        Tensor x = Tensor.randn(1, SAMPLES, FEATURES).to(dtype);
        double[] xs = x.toDoubleArray();
        double[][] target = new double[SAMPLES][CLASSES];
        for (int i = 0; i < SAMPLES; i++) {
            // class = which of four fixed feature sums is largest: learnable, and independent of grad4j's kernels
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double v = xs[i * FEATURES + c] + xs[i * FEATURES + c + CLASSES] - xs[i * FEATURES + 2 * c + 1];
                if (v > bestValue) {
                    best = c;
                    bestValue = v;
                }
            }
            target[i][best] = 1;
        }
        Tensor y = Tensor.of(target).to(dtype);
        Tensor w1 = Tensor.randn(2, FEATURES, HIDDEN).to(dtype).mul(0.3).requiresGrad(true);
        Tensor b1 = Tensor.zeros(dtype, HIDDEN).requiresGrad(true);
        Tensor w2 = Tensor.randn(3, HIDDEN, CLASSES).to(dtype).mul(0.3).requiresGrad(true);
        Tensor b2 = Tensor.zeros(dtype, CLASSES).requiresGrad(true);
        Tensor[] params = {w1, b1, w2, b2};
        Tensor loss = null;
        for (int step = 0; step < STEPS; step++) {
            Tensor z = x.matmul(w1).add(b1);
            Tensor h = z.tanh().mul(z.sigmoid().add(0.5));
            Tensor logits = h.matmul(w2).add(b2);
            Tensor nll = logits.logSoftmax(1).mul(y).sum(1).mean().neg();
            Tensor confidence = logits.softmax(1).square().sum(1).mean();
            loss = nll.add(confidence.mul(0.01));
            loss.backward();
            try (var off = Grad.disabled()) {
                for (Tensor p : params) {
                    p.subInPlace(p.grad().mul(0.5));
                    p.zeroGrad();
                }
            }
        }
        return new Tensor[] {w1.detach(), b1.detach(), w2.detach(), b2.detach(), loss.detach()};
    }

    private static byte[] bits(Tensor t) {
        double[] v = t.toDoubleArray();   // float32 values widen exactly
        ByteBuffer buffer = ByteBuffer.allocate(8 * v.length);
        for (double d : v) buffer.putLong(Double.doubleToRawLongBits(d));
        return buffer.array();
    }

    /** Prints {@code fingerprint <hex>} for {@link ReproducibilityTest}'s forked JVMs. */
    public static void main(String[] args) {
        System.out.println("fingerprint " + fingerprint());
    }
}
