package org.grad4j.nn.data;

import java.util.random.RandomGenerator;
import org.grad4j.core.Tensor;

/**
 * A change applied to each batch's features by a {@link DataLoader} (data augmentation, normalisation). Random
 * transforms draw from the generator they are given, which the loader seeds, so runs repeat.
 * <pre>{@code
 * Transform augment = ImageTransforms.randomCrop(28, 2).andThen(ImageTransforms.randomHorizontalFlip(0.5));
 * }</pre>
 */
@FunctionalInterface
public interface Transform {
    /** The transformed features of one batch ({@code [batch, ...]}); must not modify {@code features}. */
    Tensor apply(Tensor features, RandomGenerator rng);

    /** This transform, then {@code next}. */
    default Transform andThen(Transform next) {
        return (features, rng) -> next.apply(apply(features, rng), rng);
    }
}
