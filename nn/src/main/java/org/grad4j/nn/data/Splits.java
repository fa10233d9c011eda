package org.grad4j.nn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import org.grad4j.core.Grad4j;
import org.grad4j.core.ShapeMismatchException;

/**
 * Random disjoint splits of a dataset, e.g. train / validation / test (as {@code torch.utils.data.random_split}),
 * plain or stratified (every class in the same proportion in every part, as scikit-learn's
 * {@code train_test_split(stratify=y)}).
 * <pre>{@code
 * List<TensorDataset> parts = Splits.random(data, new double[] {0.7, 0.15, 0.15}, 7);
 * List<TensorDataset> same = Splits.stratified(data, new double[] {0.8, 0.2}, 7);   // labels in data.targets()
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
        int n = data.size();
        int[] sizes = sizes("Splits.random", fractions, n);
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

    /** {@link #random(TensorDataset, double[], long)} with the seed drawn from {@link Grad4j#generator()}. */
    public static List<TensorDataset> random(TensorDataset data, double[] fractions) {
        return random(data, fractions, Grad4j.generator().nextLong());
    }

    /**
     * Splits so that each class (each distinct value of the 1-d {@code data.targets()}) is divided by the same
     * fractions: every part gets the class in about the proportion the whole set has. Each class's samples are
     * shuffled and cut like {@link #random}; each part is then shuffled so classes are mixed.
     */
    public static List<TensorDataset> stratified(TensorDataset data, double[] fractions, long seed) {
        Args.notNull(data, "Splits.stratified", "data");
        Args.notNull(fractions, "Splits.stratified", "fractions");
        if (data.targets().dim() != 1) {
            throw new ShapeMismatchException("Splits.stratified: needs one class label per sample (1-d targets), got"
                    + " targets of shape " + Arrays.toString(data.targets().shape()));
        }
        sizes("Splits.stratified", fractions, data.size());
        double[] labels = data.targets().toDoubleArray();
        Map<Double, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> parts = new ArrayList<>();
        for (int p = 0; p < fractions.length; p++) parts.add(new ArrayList<>());
        for (List<Integer> members : byClass.values()) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            DataLoader.shuffleInPlace(idx, rng);
            int[] sizes = sizes("Splits.stratified", fractions, idx.length);
            int start = 0;
            for (int p = 0; p < sizes.length; p++) {
                for (int k = start; k < start + sizes[p]; k++) parts.get(p).add(idx[k]);
                start += sizes[p];
            }
        }
        List<TensorDataset> result = new ArrayList<>();
        for (List<Integer> part : parts) {
            int[] rows = part.stream().mapToInt(Integer::intValue).toArray();
            DataLoader.shuffleInPlace(rows, rng);
            result.add(data.subset(rows));
        }
        return result;
    }

    private static int[] sizes(String op, double[] fractions, int n) {
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0)) {
                throw new IllegalArgumentException(op + ": fractions must be >= 0, got "
                        + Arrays.toString(fractions));
            }
            total += f;
        }
        if (fractions.length == 0 || Math.abs(total - 1) > 1e-9) {
            throw new IllegalArgumentException(op + ": fractions must add up to 1, got "
                    + Arrays.toString(fractions) + " (sum " + total + ")");
        }
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
        return sizes;
    }
}
