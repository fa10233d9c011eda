package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/** Shared construction of convolution layers: checks and PyTorch's default initialisation. */
final class ConvLayers {
    private ConvLayers() {
    }

    static void checkChannels(String layer, int in, int out, int groups) {
        if (in <= 0 || out <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(layer + ": channels must be positive and divisible by groups, got in="
                    + in + ", out=" + out + ", groups=" + groups);
        }
    }

    static void checkKernel(String layer, int[] kernel) {
        for (int k : kernel) {
            if (k <= 0) {
                throw new IllegalArgumentException(layer + ": kernel size must be positive, got "
                        + Arrays.toString(kernel));
            }
        }
    }

    /**
     * PyTorch's default: {@code kaiming_uniform_(a = sqrt(5))} for the weight, i.e. {@code U(-1/sqrt(fanIn),
     * 1/sqrt(fanIn))} with {@code fanIn = shape[1] * kernel elements}, and the same bound for the bias; weight first.
     */
    static Tensor[] init(int[] weightShape, int biasSize, boolean bias, DType dtype, RandomGenerator rng) {
        int fanIn = 1;
        for (int i = 1; i < weightShape.length; i++) fanIn *= weightShape[i];
        double bound = 1 / Math.sqrt(fanIn);
        RandomGenerator r = rng == null ? Init.generator() : rng;
        Tensor w = Init.uniform(Tensor.zeros(dtype, weightShape), -bound, bound, r).requiresGrad(true);
        Tensor b = bias ? Init.uniform(Tensor.zeros(dtype, biasSize), -bound, bound, r).requiresGrad(true) : null;
        return new Tensor[] {w, b};
    }

    static void checkInput(Module layer, Tensor x, int rank, int channels, Tensor weight) {
        Args.notNull(x, layer.name(), "x");
        if ((x.dim() != rank && x.dim() != rank - 1) || x.size(x.dim() - rank + 1) != channels) {
            throw new IllegalArgumentException(layer.name() + ": expects an input [N, " + channels + ", ...] of rank "
                    + rank + " (or " + (rank - 1) + " without the batch dim), got shape " + Arrays.toString(x.shape()));
        }
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException(layer.name() + ": the input is " + x.dtype() + " but the layer is "
                    + weight.dtype() + "; convert the input with .to(DType." + weight.dtype().name() + ")");
        }
    }
}
