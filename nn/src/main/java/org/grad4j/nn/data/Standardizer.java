package org.grad4j.nn.data;

import java.util.Arrays;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;

/**
 * Feature normalisation to zero mean and unit variance per column, with the statistics fitted on the training set
 * only and then applied unchanged to validation and test data (so no information leaks from them). Columns that
 * are constant in the training set are only centred.
 * <pre>{@code
 * Standardizer scale = Standardizer.fit(train.features());
 * Tensor xTrain = scale.transform(train.features());
 * Tensor xTest = scale.transform(test.features());
 * }</pre>
 */
public final class Standardizer {
    private final Tensor mean;
    private final Tensor std;

    private Standardizer(Tensor mean, Tensor std) {
        this.mean = mean;
        this.std = std;
    }

    /** Fits per-column mean and population standard deviation on a {@code [samples, features]} matrix. */
    public static Standardizer fit(Tensor features) {
        Args.notNull(features, "Standardizer.fit", "features");
        if (features.dim() != 2 || features.size(0) == 0) {
            throw new ShapeMismatchException("Standardizer.fit: expects a non-empty [samples, features] matrix, got "
                    + Arrays.toString(features.shape()));
        }
        return Grad.noGrad(() -> {
            Tensor f = features.dtype().isFloatingPoint() ? features : features.to(DType.FLOAT32);   // e.g. uint8 pixels
            Tensor m = f.mean(0, true);
            Tensor s = f.var(new int[] {0}, 0, true).sqrt();
            Tensor safe = Tensor.where(s.gt(0), s, s.onesLike());
            return new Standardizer(m, safe);
        });
    }

    /** {@code (x - mean) / std} with the fitted statistics. */
    public Tensor transform(Tensor features) {
        Args.notNull(features, "Standardizer.transform", "features");
        if (features.dim() != 2 || features.size(1) != mean.size(1)) {
            throw new ShapeMismatchException("Standardizer.transform: fitted on " + mean.size(1) + " features, got"
                    + " shape " + Arrays.toString(features.shape()));
        }
        return features.sub(mean).div(std);
    }

    /** The fitted per-column mean, {@code [1, features]}. */
    public Tensor mean() {
        return mean;
    }

    /** The fitted per-column standard deviation ({@code 1} where a column was constant), {@code [1, features]}. */
    public Tensor std() {
        return std;
    }
}
