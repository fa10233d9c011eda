package org.grad4j.nn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random disjoint splits of a dataset, e.g. train / validation / test (as {@code torch.utils.data.random_split}).
 * <pre>{@code
 * List<TensorDataset> parts = Splits.random(data, new double[] {0.7, 0.15, 0.15}, 7);
 * }</pre>
 */
public final class Splits {
    private Splits() {
    }

    /**
     * Splits by fractions that add up to 1; sizes are rounded down and the remainder goes to the first parts, so
     * every sample lands in exactly one part.
     */
    public static List<TensorDataset> random(TensorDataset data, double[] fractions, long seed) {
        Args.notNull(data, "Splits.random", "data");
        Args.notNull(fractions, "Splits.random", "fractions");
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0)) {
                throw new IllegalArgumentException("Splits.random: fractions must be >= 0, got "
                        + Arrays.toString(fractions));
            }
            total += f;
        }
        if (fractions.length == 0 || Math.abs(total - 1) > 1e-9) {
            throw new IllegalArgumentException("Splits.random: fractions must add up to 1, got "
                    + Arrays.toString(fractions) + " (sum " + total + ")");
        }
        int n = data.size();
        int[] sizes = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = (int) Math.floor(fractions[i] * n);
            assigned += sizes[i];
        }
        for (int i = 0; assigned < n; i = (i + 1) % sizes.length) {
            if (fractions[i] > 0) {
                sizes[i]++;
                assigned++;
            }
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        DataLoader.shuffleInPlace(order, new SplittableRandom(seed));
        List<TensorDataset> parts = new ArrayList<>();
        int start = 0;
        for (int size : sizes) {
            parts.add(data.subset(Arrays.copyOfRange(order, start, start + size)));
            start += size;
        }
        return parts;
    }
}
