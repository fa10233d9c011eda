package org.grad4j.core.kernel;

import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Not a test: the work {@link KernelsCompileAtEveryTierTest} runs in a forked JVM. Every element-wise function, pow,
 * the common binary ops, reductions, softmax, comparisons and selection, a blocked matrix product, a convolution with
 * ReLU and max pooling and its backward pass, float32 and float64, on small tensors (every loop still runs its vector
 * part; products of odd sizes reach the edge tiles' micro-kernels). Run with {@code -Xcomp}, every method it
 * reaches is compiled before it first runs.
 */
final class KernelWorkout {
    private KernelWorkout() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        double sink = 0;
        for (DType type : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.randn(1, 16, 16).to(type);
            Tensor positive = x.abs().add(1e-3);
            Tensor exponents = x.mul(3);
            Tensor left = Tensor.randn(2, 24, 64).to(type);
            Tensor right = Tensor.randn(3, 64, 48).to(type);
            for (int r = 0; r < rounds; r++) {
                Tensor[] results = {x.exp(), x.expm1(), positive.log(), positive.log1p(), x.tanh(), x.sigmoid(),
                    x.erf(), x.sin(), x.cos(), positive.pow(1.5), positive.pow(exponents), x.add(positive),
                    x.mul(positive), x.div(positive), x.relu(), x.softmax(1), x.sum(), left.matmul(right)};
                for (Tensor t : results) {
                    sink += t.sum().item();
                }
                Tensor odd = Tensor.randn(7, 13, 70).to(type);
                sink += odd.matmul(Tensor.randn(8, 70, 29).to(type)).sum().item()
                        + odd.matmul(Tensor.randn(9, 29, 70).to(type).t()).sum().item()
                        + Tensor.randn(10, 3, 5, 40).to(type).matmul(Tensor.randn(11, 3, 40, 9).to(type)).sum().item();
                sink += x.logSoftmax(1).mean().item() + x.max().item() + x.cumsum(1).sum().item()
                        + x.gt(positive).where(x, positive).sum().item() + x.argmax().item();
                Tensor image = Tensor.randn(4, 2, 3, 12, 12).to(type);
                Tensor weight = Tensor.randn(5, 4, 3, 3, 3).to(type).requiresGrad(true);
                Tensor bias = Tensor.randn(6, 4).to(type).requiresGrad(true);
                int[] one = {1, 1};
                int[] none = {0, 0};
                Tensor features = image.conv2d(weight, bias, one, one, one, 1);
                Tensor pooled = features.relu().maxPool2d(new int[] {2, 2}, new int[] {2, 2}, none, one, false);
                Tensor loss = pooled.sigmoid().mul(pooled.tanh()).sum();
                loss.backward();
                sink += weight.grad().sum().item() + image.conv2dReluMaxPool2d(weight.detach(), bias.detach(), one,
                        one, one, 1, new int[] {2, 2}, new int[] {2, 2}, none, one, false).sum().item();
            }
        }
        System.out.println("done " + sink);   // printed, so that no result is dead code
    }
}
