package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * einsum against a naive evaluator that loops over every assignment of every subscript (so it shares nothing with
 * the matmul-based implementation), for many subscript strings; gradients and second derivatives by GradCheck.
 */
class EinsumTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ij,jk->ik", "ij,jk->ik", new int[][] {{3, 4}, {4, 5}}),
                Arguments.of("ij,jk", "ij,jk->ik", new int[][] {{3, 4}, {4, 5}}),
                Arguments.of("bij,bjk->bik", "bij,bjk->bik", new int[][] {{2, 3, 4}, {2, 4, 5}}),
                Arguments.of("ii->", "ii->", new int[][] {{4, 4}}),
                Arguments.of("ii", "ii->", new int[][] {{4, 4}}),
                Arguments.of("ii->i", "ii->i", new int[][] {{4, 4}}),
                Arguments.of("iii->i", "iii->i", new int[][] {{3, 3, 3}}),
                Arguments.of("iij->j", "iij->j", new int[][] {{3, 3, 2}}),
                Arguments.of("iji->j", "iji->j", new int[][] {{2, 3, 2}}),
                Arguments.of("ijij->ij", "ijij->ij", new int[][] {{2, 3, 2, 3}}),
                Arguments.of("ij->ji", "ij->ji", new int[][] {{2, 3}}),
                Arguments.of("ba", "ba->ab", new int[][] {{2, 3}}),
                Arguments.of("ij->", "ij->", new int[][] {{2, 3}}),
                Arguments.of("ij->i", "ij->i", new int[][] {{2, 3}}),
                Arguments.of("ijk->kji", "ijk->kji", new int[][] {{2, 3, 4}}),
                Arguments.of("i,j->ij", "i,j->ij", new int[][] {{3}, {4}}),
                Arguments.of("i,i->", "i,i->", new int[][] {{5}, {5}}),
                Arguments.of("ij,j->i", "ij,j->i", new int[][] {{3, 4}, {4}}),
                Arguments.of("ij,ij->ij", "ij,ij->ij", new int[][] {{3, 4}, {3, 4}}),
                Arguments.of("ij,ij->", "ij,ij->", new int[][] {{3, 4}, {3, 4}}),
                Arguments.of("ij,kj->ik", "ij,kj->ik", new int[][] {{3, 4}, {2, 4}}),
                Arguments.of("ii,jj->ij", "ii,jj->ij", new int[][] {{3, 3}, {2, 2}}),
                Arguments.of("ijk,jil->kl", "ijk,jil->kl", new int[][] {{2, 3, 4}, {3, 2, 5}}),
                Arguments.of("abc,cd,de->abe", "abc,cd,de->abe", new int[][] {{2, 3, 4}, {4, 2}, {2, 3}}),
                Arguments.of("ij,jk,kl", "ij,jk,kl->il", new int[][] {{2, 3}, {3, 4}, {4, 2}}),
                Arguments.of("a,b,c->abc", "a,b,c->abc", new int[][] {{2}, {3}, {2}}),
                Arguments.of("bn,anm,bm->ba", "bn,anm,bm->ba", new int[][] {{2, 3}, {4, 3, 2}, {2, 2}}),
                Arguments.of("ij,jk,ki->", "ij,jk,ki->", new int[][] {{2, 3}, {3, 4}, {4, 2}}),
                Arguments.of("Ab,bA->", "Ab,bA->", new int[][] {{2, 3}, {3, 2}}),
                Arguments.of("aB,Ba", "aB,Ba->", new int[][] {{2, 3}, {3, 2}}),
                Arguments.of("zA", "zA->Az", new int[][] {{2, 3}}),
                Arguments.of(",->", ",->", new int[][] {{}, {}}),
                Arguments.of("i,->i", "i,->i", new int[][] {{3}, {}}),
                Arguments.of("ij,jk->ik (broadcast j)", "ij,jk->ik", new int[][] {{2, 1}, {3, 4}}),
                Arguments.of("ij,ij->ij (broadcast i)", "ij,ij->ij", new int[][] {{1, 3}, {2, 3}}),
                Arguments.of("ij,ij->ij (both 1)", "ij,ij->ij", new int[][] {{1, 3}, {1, 3}}),
                Arguments.of("...ij,...jk->...ik", "...ij,...jk->...ik", new int[][] {{2, 1, 3, 4}, {5, 4, 2}}),
                Arguments.of("...ij->...ji", "...ij->...ji", new int[][] {{2, 3, 4}}),
                Arguments.of("...ij->ij", "...ij->ij", new int[][] {{4, 2, 3}}),
                Arguments.of("i...->...", "i...->...", new int[][] {{3, 2, 2}}),
                Arguments.of("...ii->...i", "...ii->...i", new int[][] {{2, 3, 3}}),
                Arguments.of("b...,b...", "b...,b...->...", new int[][] {{2, 3}, {2, 1}}),
                Arguments.of("...,...", "...,...->...", new int[][] {{3, 1}, {4}}),
                Arguments.of("i...i", "i...i->...", new int[][] {{3, 2, 3}}),
                Arguments.of("ij , jk -> ik (spaces)", "ij,jk->ik", new int[][] {{3, 4}, {4, 2}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesNaiveLoops(String label, String explicit, int[][] shapes) {
        String equation = label.contains(" (") ? label.substring(0, label.indexOf(" (")) : label;
        SplittableRandom rng = new SplittableRandom(equation.hashCode());
        Tensor[] ops = new Tensor[shapes.length];
        for (int i = 0; i < ops.length; i++) ops[i] = Tensor.randn(rng, DType.FLOAT64, shapes[i]);
        Tensor out = Tensor.einsum(equation, ops);
        Naive expected = naive(explicit, ops);
        assertArrayEquals(expected.shape, out.shape(), "shape of " + equation);
        assertArrayEquals(expected.values, out.toDoubleArray(), 1e-12, equation);
        Tensor out32 = Tensor.einsum(equation, Stream.of(ops).map(t -> t.to(DType.FLOAT32)).toArray(Tensor[]::new));
        assertEquals(DType.FLOAT32, out32.dtype());
        assertArrayEquals(expected.values, out32.toDoubleArray(), 1e-4, equation + " float32");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String label, String explicit, int[][] shapes) {
        String equation = label.contains(" (") ? label.substring(0, label.indexOf(" (")) : label;
        SplittableRandom rng = new SplittableRandom(equation.hashCode() + 1);
        Tensor[] ops = new Tensor[shapes.length];
        for (int i = 0; i < ops.length; i++) ops[i] = Tensor.randn(rng, DType.FLOAT64, shapes[i]).requiresGrad(true);
        GradCheck.Result first = GradCheck.check(in -> Tensor.einsum(equation, in), ops);
        assertTrue(first.passed(), first::report);
        // the square makes even a linear einsum's second derivative non-zero
        GradCheck.Result second = GradCheck.checkSecondOrder(in -> Tensor.einsum(equation, in).square(), 3, ops);
        assertTrue(second.passed(), second::report);
    }

    /**
     * Random equations: 1-3 operands of rank 0-3 over the subscripts a-e (repeats within an operand allowed), sizes
     * 1-3 per subscript, an explicit output of a random subset of the used subscripts in random order, or none.
     */
    @Property(tries = 200)
    void randomEquationsMatchNaiveLoops(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] size = new int[5];
        for (int i = 0; i < 5; i++) size[i] = 1 + rng.nextInt(3);
        int operands = 1 + rng.nextInt(3);
        StringBuilder lhs = new StringBuilder();
        Tensor[] ops = new Tensor[operands];
        java.util.Set<Character> used = new java.util.TreeSet<>();
        java.util.Map<Character, Integer> count = new java.util.HashMap<>();
        for (int k = 0; k < operands; k++) {
            int rank = rng.nextInt(4);
            int[] shape = new int[rank];
            if (k > 0) lhs.append(',');
            for (int d = 0; d < rank; d++) {
                char c = (char) ('a' + rng.nextInt(5));
                lhs.append(c);
                used.add(c);
                count.merge(c, 1, Integer::sum);
                shape[d] = size[c - 'a'];
            }
            ops[k] = Tensor.randn(rng, DType.FLOAT64, shape);
        }
        String explicit;
        String equation;
        if (rng.nextBoolean()) {
            List<Character> out = new ArrayList<>(used);
            java.util.Collections.shuffle(out, new java.util.Random(seed));
            StringBuilder rhs = new StringBuilder();
            for (char c : out.subList(0, rng.nextInt(out.size() + 1))) rhs.append(c);
            equation = lhs + "->" + rhs;
            explicit = equation;
        } else {
            StringBuilder rhs = new StringBuilder();
            for (char c : used) {
                if (count.get(c) == 1) rhs.append(c);
            }
            equation = lhs.toString();
            explicit = lhs + "->" + rhs;
        }
        Naive expected = naive(explicit, ops);
        Tensor out = Tensor.einsum(equation, ops);
        assertArrayEquals(expected.shape, out.shape(), equation);
        assertArrayEquals(expected.values, out.toDoubleArray(), 1e-12, equation);
    }

    @Property(tries = 30)
    void batchedMatmulEquationAgreesWithMatmul(@ForAll @IntRange(min = 1, max = 3) int b,
                                               @ForAll @IntRange(min = 1, max = 4) int m,
                                               @ForAll @IntRange(min = 1, max = 4) int k,
                                               @ForAll @IntRange(min = 1, max = 4) int n,
                                               @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = Tensor.randn(rng, DType.FLOAT64, b, m, k);
        Tensor c = Tensor.randn(rng, DType.FLOAT64, b, k, n);
        assertTrue(Tensor.einsum("bmk,bkn->bmn", a, c).allClose(a.matmul(c), 1e-12, 1e-12));
        assertTrue(Tensor.einsum("bmk,bnk->bnm", a, c.mT()).allClose(a.matmul(c).mT(), 1e-12, 1e-12));
    }

    @Test
    void errorsNameTheProblem() {
        Tensor a = Tensor.zeros(2, 3);
        assertMessage("fewer operands", () -> Tensor.einsum("ij,jk", a));
        assertMessage("more operands", () -> Tensor.einsum("ij", a, a));
        assertMessage("does not match the number of dimensions (2) for operand 0",
                () -> Tensor.einsum("ijk", a));
        assertMessage("subscript j has size 3 for operand 1 which does not broadcast with previously seen size 2",
                () -> Tensor.einsum("ij,jk", Tensor.zeros(3, 2), Tensor.zeros(3, 4)));
        assertMessage("output subscript i appears more than once", () -> Tensor.einsum("ij->ii", a));
        assertMessage("output subscript k does not appear", () -> Tensor.einsum("ij->k", a));
        assertMessage("subscript i is repeated for operand 0 but the sizes don't match, 3 != 2",
                () -> Tensor.einsum("ii", a));
        assertMessage("invalid subscript", () -> Tensor.einsum("i1", a));
        assertMessage("ellipsis", () -> Tensor.einsum("i..j", a));
        assertThrows(DTypeMismatchException.class, () -> Tensor.einsum("ij,jk", a, Tensor.zeros(DType.FLOAT64, 3, 2)));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("einsum(): "), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------ naive reference

    record Naive(int[] shape, double[] values) {
    }

    /** Explicit-output equations only; '...' becomes the letters U..Z, right-aligned. */
    static Naive naive(String equation, Tensor[] ops) {
        String[] sides = equation.split("->", -1);
        String[] ins = sides[0].split(",", -1);
        int ell = 0;
        for (int i = 0; i < ins.length; i++) {
            if (ins[i].contains("...")) ell = Math.max(ell, ops[i].dim() - (ins[i].length() - 3));
        }
        String pool = "UVWXYZ".substring(6 - ell);
        List<String> subs = new ArrayList<>();
        for (int i = 0; i < ins.length; i++) {
            String s = ins[i];
            if (s.contains("...")) {
                int covered = ops[i].dim() - (s.length() - 3);
                s = s.replace("...", pool.substring(ell - covered));
            }
            subs.add(s);
        }
        String out = sides[1].replace("...", pool);
        Map<Character, Integer> size = new HashMap<>();
        for (int i = 0; i < ins.length; i++) {
            for (int d = 0; d < subs.get(i).length(); d++) {
                size.merge(subs.get(i).charAt(d), ops[i].shape()[d], Math::max);
            }
        }
        List<Character> all = new ArrayList<>(size.keySet());
        int[] outShape = new int[out.length()];
        for (int d = 0; d < outShape.length; d++) outShape[d] = size.get(out.charAt(d));
        int outN = 1;
        for (int s : outShape) outN *= s;
        double[] result = new double[outN];
        int[] idx = new int[all.size()];
        while (true) {
            double p = 1;
            for (int i = 0; i < ops.length; i++) {
                int[] at = new int[subs.get(i).length()];
                for (int d = 0; d < at.length; d++) {
                    int v = idx[all.indexOf(subs.get(i).charAt(d))];
                    at[d] = ops[i].shape()[d] == 1 ? 0 : v;
                }
                p *= ops[i].get(at);
            }
            int flat = 0;
            for (int d = 0; d < out.length(); d++) flat = flat * outShape[d] + idx[all.indexOf(out.charAt(d))];
            result[flat] += p;
            int c = all.size() - 1;
            while (c >= 0 && ++idx[c] == size.get(all.get(c))) {
                idx[c] = 0;
                c--;
            }
            if (c < 0) {
                break;
            }
        }
        return new Naive(outShape, result);
    }
}
