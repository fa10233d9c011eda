package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grad4j.core.DType;
import org.grad4j.core.ShapeMismatchException;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Splits}: part sizes derived by hand (floors, then the remainder to the first parts with a non-zero
 * fraction), the exact members for a seed against a Fisher-Yates shuffle written out here, per-class counts of the
 * stratified split, and the checks of the fractions.
 */
class SplitsSizesTest {

    /** Sample i has feature i and the given label. */
    private static TensorDataset labelled(double... labels) {
        int n = labels.length;
        return new TensorDataset(Tensor.arange(0, n, 1, DType.FLOAT64).reshape(n, 1), Tensor.of(labels, n));
    }

    private static TensorDataset numbered(int n) {
        return labelled(new double[n]);
    }

    private static List<Integer> sizes(List<TensorDataset> parts) {
        List<Integer> out = new ArrayList<>();
        for (TensorDataset p : parts) out.add(p.size());
        return out;
    }

    private static List<Integer> members(TensorDataset part) {
        List<Integer> out = new ArrayList<>();
        for (double d : part.features().toDoubleArray()) out.add((int) d);
        return out;
    }

    @Test
    void sizesAreFloorsWithTheRemainderToTheFirstNonEmptyParts() {
        // 10 x {0.35, 0.35, 0.3} = 3.5, 3.5, 3: floors 3, 3, 3, one left for the first part
        assertEquals(List.of(4, 3, 3), sizes(Splits.random(numbered(10), new double[] {0.35, 0.35, 0.3}, 1)));
        // 5 x {0, 0.5, 0.5}: floors 0, 2, 2; the remainder skips the part of fraction 0
        assertEquals(List.of(0, 3, 2), sizes(Splits.random(numbered(5), new double[] {0, 0.5, 0.5}, 1)));
        // 7 x {0.25, 0.25, 0.25, 0.25}: floors 1 each, three left for the first three parts
        assertEquals(List.of(2, 2, 2, 1), sizes(Splits.random(numbered(7), new double[] {0.25, 0.25, 0.25, 0.25},
                1)));
        // a remainder larger than the number of non-empty parts wraps around: 3 x {0.1, 0, 0.9} = 0, 0, 2
        assertEquals(List.of(1, 0, 2), sizes(Splits.random(numbered(3), new double[] {0.1, 0, 0.9}, 1)));
        assertEquals(List.of(6), sizes(Splits.random(numbered(6), new double[] {1}, 1)));
    }

    @Test
    void membersFollowTheSeededShuffle() {
        int n = 9;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(17);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<TensorDataset> parts = Splits.random(numbered(n), new double[] {0.5, 0.5}, 17);
        List<Integer> expectedFirst = new ArrayList<>();
        List<Integer> expectedSecond = new ArrayList<>();
        for (int i = 0; i < n; i++) (i < 5 ? expectedFirst : expectedSecond).add(order[i]);
        assertEquals(expectedFirst, members(parts.get(0)));
        assertEquals(expectedSecond, members(parts.get(1)));
    }

    @Test
    void stratifiedPartsGetEachClassInProportion() {
        // class 0: 5 samples -> 2.5, 2.5: 3 and 2; class 1: 3 samples -> 1.5, 1.5: 2 and 1; class 2: 1 -> 1 and 0
        TensorDataset data = labelled(0, 1, 0, 0, 2, 1, 0, 1, 0);
        List<TensorDataset> parts = Splits.stratified(data, new double[] {0.5, 0.5}, 3);
        assertEquals(List.of(6, 3), sizes(parts));
        int[][] counts = new int[2][3];
        List<Integer> all = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            double[] labels = parts.get(p).targets().toDoubleArray();
            List<Integer> m = members(parts.get(p));
            for (int i = 0; i < labels.length; i++) {
                counts[p][(int) labels[i]]++;
                assertEquals(data.targets().toDoubleArray()[m.get(i)], labels[i], "features and labels stay paired");
            }
            all.addAll(m);
        }
        assertEquals(3, counts[0][0]);
        assertEquals(2, counts[1][0]);
        assertEquals(2, counts[0][1]);
        assertEquals(1, counts[1][1]);
        assertEquals(1, counts[0][2]);
        assertEquals(0, counts[1][2]);
        all.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), all);
        assertEquals(members(parts.get(0)), members(Splits.stratified(data, new double[] {0.5, 0.5}, 3).get(0)),
                "same seed, same split");
    }

    @Test
    void theSeedDecidesMembersAndOrder() {
        TensorDataset data = labelled(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
        java.util.Set<List<Integer>> firstParts = new java.util.HashSet<>();
        boolean mixed = false;
        for (long seed = 1; seed <= 4; seed++) {
            TensorDataset first = Splits.stratified(data, new double[] {0.5, 0.5}, seed).get(0);
            List<Integer> m = members(first);
            List<Integer> sorted = new ArrayList<>(m);
            sorted.sort(null);
            firstParts.add(sorted);
            double[] labels = first.targets().toDoubleArray();
            for (int i = 1; i < labels.length; i++) mixed |= labels[i] < labels[i - 1];
        }
        assertTrue(firstParts.size() > 1, "different seeds choose different members of each class");
        assertTrue(mixed, "each part is shuffled, so its classes are mixed");
        List<TensorDataset> unseeded = Splits.random(numbered(10), new double[] {0.35, 0.35, 0.3});
        assertEquals(List.of(4, 3, 3), sizes(unseeded));
    }

    @Test
    void fractionsAreChecked() {
        TensorDataset data = numbered(4);
        for (double[] bad : new double[][] {{}, {0.5, 0.4}, {0.5, 0.5 + 1e-8}, {1.2, -0.2}, {Double.NaN, 1},
            {0.5, 0.6}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Splits.random(data, bad, 1), java.util.Arrays.toString(bad));
            assertTrue(e.getMessage().startsWith("Splits.random: fractions must"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Splits.stratified(data, bad, 1));
        }
        assertEquals("Splits.random: fractions must be >= 0, got [1.2, -0.2]", assertThrows(
                IllegalArgumentException.class, () -> Splits.random(data, new double[] {1.2, -0.2}, 1)).getMessage());
        assertEquals("Splits.random: fractions must add up to 1, got [0.5, 0.4] (sum 0.9)", assertThrows(
                IllegalArgumentException.class, () -> Splits.random(data, new double[] {0.5, 0.4}, 1)).getMessage());
        assertEquals(List.of(2, 2), sizes(Splits.random(data, new double[] {0.5, 0.5 + 1e-10}, 1)),
                "a rounding error in the sum is accepted");
        // 4 x (0.5 - 1e-10) floors to 1: the remainder goes to the first part, as in torch's random_split
        assertEquals(List.of(3, 1), sizes(Splits.random(data, new double[] {0.5, 0.5 - 1e-10}, 1)));
        assertEquals(List.of(0, 4), sizes(Splits.random(data, new double[] {0, 1}, 1)));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Splits.stratified(
                new TensorDataset(Tensor.ones(4, 1), Tensor.ones(4, 2)), new double[] {1}, 1));
        assertEquals("Splits.stratified: needs one class label per sample (1-d targets), got targets of shape [4, 2]",
                e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Splits.stratified(data, new double[] {2, -1},
                1)).getMessage().startsWith("Splits.stratified: fractions must be >= 0"));
    }
}
