package org.grad4j.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * Fully connected layer {@code y = x W^T + b}, as {@code nn.Linear}. The weight has shape {@code [out, in]} and the
 * bias {@code [out]}; the input is {@code [..., in]} (any number of leading dims, or just {@code [in]}) and the output
 * {@code [..., out]}.
 * <pre>{@code
 * Linear layer = new Linear(3, 2, true, DType.FLOAT32, new SplittableRandom(7));   // reproducible
 * Tensor y = layer.forward(Tensor.randn(1, 4, 3));                                  // shape [4, 2]
 * }</pre>
 * Initialisation is PyTorch's default: weight and bias both {@code U(-1/sqrt(in), 1/sqrt(in))}, weight drawn first.
 * Also available under the name {@link Dense}.
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A float32 layer with a bias, initialised from the default generator ({@link Init#generator()}, seeded by
     * {@code Grad4j.manualSeed}).
     */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** A float32 layer, with or without a bias, initialised from the default generator. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, DType.FLOAT32, Init.generator());
    }

    /** A layer of the given dtype initialised from {@code rng} (same generator state, same weights). */
    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, RandomGenerator rng) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": feature counts must be >= 0, got in="
                    + inFeatures + ", out=" + outFeatures);
        }
        Args.notNull(dtype, getClass().getSimpleName(), "dtype");
        Args.notNull(rng, getClass().getSimpleName(), "rng");
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
        this.weight = Init.uniform(Tensor.zeros(dtype, outFeatures, inFeatures), -bound, bound, rng)
                .requiresGrad(true);
        this.bias = bias ? Init.uniform(Tensor.zeros(dtype, outFeatures), -bound, bound, rng).requiresGrad(true)
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return Tensor.linear(x, weight, bias);
    }

    /** {@code relu(forward(x))} in one op ({@link Tensor#linearRelu}), for {@link Sequential}. */
    Tensor forwardRelu(Tensor x) {
        checkInput(x);
        return Tensor.linearRelu(x, weight, bias);
    }

    private void checkInput(Tensor x) {
        Args.notNull(x, "Linear.forward", "x");
        if (x.dim() == 0 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException(name() + "(inFeatures=" + inFeatures + ", outFeatures=" + outFeatures
                    + "): expects an input whose last dim is " + inFeatures + ", got shape "
                    + Arrays.toString(x.shape()));
        }
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException(name() + ": the input is " + x.dtype() + " but the layer is "
                    + weight.dtype() + "; convert the input with .to(DType." + weight.dtype().name() + ")");
        }
    }

    /** The weight, shape {@code [out, in]} (the live parameter). */
    public Tensor weight() {
        return weight;
    }

    /** The bias, shape {@code [out]}, or null for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    /** Size of each input's last dim. */
    public int inFeatures() {
        return inFeatures;
    }

    /** Size of each output's last dim. */
    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "inFeatures=" + inFeatures + ", outFeatures=" + outFeatures + ", bias=" + (bias != null);
    }
}
