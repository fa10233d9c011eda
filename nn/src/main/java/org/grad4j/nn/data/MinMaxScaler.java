package org.grad4j.nn.data;

import java.util.Arrays;
import org.grad4j.core.Grad;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;

/**
 * Scales each feature column to [0, 1] (or a given range) with the minimum and maximum fitted on the training set
 * only, as scikit-learn's {@code MinMaxScaler}; validation and test data get the same affine map, so their values
 * may fall outside the range. Columns that are constant in the training set map to the range's lower end.
 * <pre>{@code
 * MinMaxScaler scale = MinMaxScaler.fit(train.features());
 * Tensor xTrain = scale.transform(train.features());   // every column in [0, 1]
 * Tensor xTest = scale.transform(test.features());
 * }</pre>
 */
public final class MinMaxScaler {
    private final Tensor min;
    private final Tensor scale;
    private final double low;

    private MinMaxScaler(Tensor min, Tensor scale, double low) {
        this.min = min;
        this.scale = scale;
        this.low = low;
    }

    /** Fits per-column minimum and maximum of a {@code [samples, features]} matrix, for the range [0, 1]. */
    public static MinMaxScaler fit(Tensor features) {
        return fit(features, 0, 1);
    }

    /** Fits per-column minimum and maximum of a {@code [samples, features]} matrix, for the range [low, high]. */
    public static MinMaxScaler fit(Tensor features, double low, double high) {
        Args.notNull(features, "MinMaxScaler.fit", "features");
        if (features.dim() != 2 || features.size(0) == 0) {
            throw new ShapeMismatchException("MinMaxScaler.fit: expects a non-empty [samples, features] matrix, got "
                    + Arrays.toString(features.shape()));
        }
        if (!(low < high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("MinMaxScaler.fit: need low < high, got [" + low + ", " + high + "]");
        }
        return Grad.noGrad(() -> {
            Tensor lo = features.detach().amin(0, true);
            Tensor range = features.detach().amax(0, true).sub(lo);
            Tensor safe = Tensor.where(range.gt(0), range, range.onesLike());
            Tensor factor = Tensor.where(range.gt(0), safe.reciprocal().mul(high - low), range.zerosLike());
            return new MinMaxScaler(lo, factor, low);
        });
    }

    /** {@code low + (x - min) * (high - low) / (max - min)} with the fitted statistics. */
    public Tensor transform(Tensor features) {
        Args.notNull(features, "MinMaxScaler.transform", "features");
        if (features.dim() != 2 || features.size(1) != min.size(1)) {
            throw new ShapeMismatchException("MinMaxScaler.transform: fitted on " + min.size(1) + " features, got"
                    + " shape " + Arrays.toString(features.shape()));
        }
        return features.sub(min).mul(scale).add(low);
    }

    /** The fitted per-column minimum, {@code [1, features]}. */
    public Tensor min() {
        return min;
    }
}
