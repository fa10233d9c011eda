package org.grad4j.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.einsum}, composed from views, sums, {@code indexSelect} (for diagonals) and batched matmul, so it
 * needs no derivative rule of its own. Each operand is first reduced on its own (diagonals of repeated subscripts,
 * sums over subscripts no other operand or the output uses); then the operands are contracted left to right, each
 * pair by one batched matmul: the pair's shared kept subscripts become the batch, its shared dropped subscripts the
 * inner dim of the product, and each side's own subscripts its rows or columns.
 *
 * <p>Subscripts are letters ({@code a-z}, {@code A-Z}); {@code ...} stands for the dims the letters leave out, which
 * broadcast across operands (right-aligned) as in PyTorch. Without {@code ->} the output is the broadcast
 * {@code ...} dims followed by the subscripts used exactly once, in alphabetical (ASCII) order. Dims of size 1
 * broadcast against the same subscript's larger size in another operand.
 */
final class Einsum {
    private static final int LETTERS = 52;
    /** Label ids: the letters, then one per ellipsis dim. */
    private static final int MAX_ELLIPSIS_DIMS = 64;
    private static final int LABELS = LETTERS + MAX_ELLIPSIS_DIMS;

    private Einsum() {
    }

    /** An operand with the subscript label of each of its dims (ellipsis dims get labels from LETTERS up). */
    private record Term(Tensor t, List<Integer> labels) {
    }

    static Tensor einsum(String equation, Tensor... operands) {
        if (equation == null) {
            throw new IllegalArgumentException("einsum(): the equation is null");
        }
        if (operands == null || operands.length == 0) {
            throw new IllegalArgumentException("einsum(): must provide at least one operand");
        }
        for (int i = 0; i < operands.length; i++) {
            if (operands[i] == null) {
                throw new IllegalArgumentException("einsum(): operand " + i + " is null");
            }
            if (operands[i].dim() > MAX_ELLIPSIS_DIMS) {
                throw new IllegalArgumentException("einsum(): operand " + i + " has " + operands[i].dim()
                        + " dimensions; at most " + MAX_ELLIPSIS_DIMS + " are supported");
            }
            Pointwise.checkDtypes("einsum", operands[0], operands[i]);
        }
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] inputs = lhs.split(",", -1);
        if (inputs.length > operands.length) {
            throw new IllegalArgumentException("einsum(): fewer operands were provided than specified in the equation '"
                    + equation + "' (" + inputs.length + " subscript groups, " + operands.length + " operands)");
        }
        if (inputs.length < operands.length) {
            throw new IllegalArgumentException("einsum(): more operands were provided than specified in the equation '"
                    + equation + "' (" + inputs.length + " subscript groups, " + operands.length + " operands)");
        }
        int ellipsisRank = 0;
        List<Term> terms = new ArrayList<>();
        int[] labelSize = new int[LABELS];
        Arrays.fill(labelSize, -1);
        int[] uses = new int[labelSize.length];
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = operands[k];
            List<Integer> letters = new ArrayList<>();
            int ellipsisAt = parseSubscripts(equation, inputs[k], "operand " + k, letters);
            int explicit = letters.size();
            if (ellipsisAt < 0 ? explicit != t.dim() : explicit > t.dim()) {
                throw new ShapeMismatchException("einsum(): the number of subscripts in the equation (" + explicit
                        + ") does not match the number of dimensions (" + t.dim() + ") for operand " + k
                        + (ellipsisAt < 0 ? " and no ellipsis was given" : "") + " (equation '" + equation
                        + "', shape " + Shapes.str(t.shape) + ")");
            }
            int covered = t.dim() - explicit;
            ellipsisRank = Math.max(ellipsisRank, covered);
            List<Integer> labels = new ArrayList<>(letters);
            if (ellipsisAt >= 0) {
                List<Integer> ell = new ArrayList<>();
                for (int j = 0; j < covered; j++) ell.add(-(covered - j)); // right-aligned, resolved below
                labels.addAll(ellipsisAt, ell);
            }
            terms.add(new Term(t, labels));
        }
        for (Term term : terms) {
            for (int d = 0; d < term.labels.size(); d++) {
                int label = term.labels.get(d);
                if (label < 0) {
                    term.labels.set(d, LETTERS + ellipsisRank + label); // -1 is the last ellipsis dim
                }
            }
        }
        // sizes: equal, or 1 broadcasting against a larger size
        for (int k = 0; k < terms.size(); k++) {
            Term term = terms.get(k);
            int[] own = new int[labelSize.length];
            Arrays.fill(own, -1);
            for (int d = 0; d < term.labels.size(); d++) {
                int label = term.labels.get(d);
                int size = term.t.shape[d];
                if (own[label] >= 0 && own[label] != size) {
                    throw new ShapeMismatchException("einsum(): subscript " + name(label) + " is repeated for operand "
                            + k + " but the sizes don't match, " + size + " != " + own[label] + " (equation '"
                            + equation + "', shape " + Shapes.str(term.t.shape) + ")");
                }
                own[label] = size;
            }
            for (int label = 0; label < own.length; label++) {
                if (own[label] < 0) {
                    continue;
                }
                uses[label]++;
                if (labelSize[label] < 0 || labelSize[label] == 1) {
                    labelSize[label] = own[label];
                } else if (own[label] != 1 && own[label] != labelSize[label]) {
                    String what = label >= LETTERS ? "the ellipsis dims" : "subscript " + name(label);
                    throw new ShapeMismatchException("einsum(): " + what + " has size " + own[label] + " for operand "
                            + k + " which does not broadcast with previously seen size " + labelSize[label]
                            + " (equation '" + equation + "', shapes " + Node.shapes(operands) + ")");
                }
            }
        }
        List<Integer> output = new ArrayList<>();
        if (arrow >= 0) {
            List<Integer> letters = new ArrayList<>();
            int ellipsisAt = parseSubscripts(equation, eq.substring(arrow + 2), "the output", letters);
            boolean[] seen = new boolean[LETTERS];
            for (int label : letters) {
                if (seen[label]) {
                    throw new IllegalArgumentException("einsum(): output subscript " + name(label) + " appears more"
                            + " than once in the output (equation '" + equation + "')");
                }
                seen[label] = true;
                if (uses[label] == 0) {
                    throw new IllegalArgumentException("einsum(): output subscript " + name(label) + " does not appear"
                            + " in the equation for any input operand (equation '" + equation + "')");
                }
            }
            output.addAll(letters);
            if (ellipsisAt >= 0) {
                List<Integer> ell = new ArrayList<>();
                for (int j = 0; j < ellipsisRank; j++) ell.add(LETTERS + j);
                output.addAll(ellipsisAt, ell);
            }
        } else {
            for (int j = 0; j < ellipsisRank; j++) output.add(LETTERS + j);
            for (int c : alphabet()) {
                if (uses[c] > 0 && countInInputs(terms, c) == 1) {
                    output.add(c);
                }
            }
        }
        Term result = contractAll(terms, output);
        return finish(result, output, labelSize);
    }

    /** Parses letters and at most one {@code ...}; returns the ellipsis position among the letters, or -1. */
    private static int parseSubscripts(String equation, String s, String where, List<Integer> letters) {
        int ellipsisAt = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (ellipsisAt >= 0 || !s.startsWith("...", i)) {
                    throw new IllegalArgumentException("einsum(): found '.' for " + where + " that is not part of any"
                            + " ellipsis, or more than one ellipsis (equation '" + equation + "')");
                }
                ellipsisAt = letters.size();
                i += 2;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                letters.add(label(c));
            } else {
                throw new IllegalArgumentException("einsum(): invalid subscript given at index " + i + " of " + where
                        + " in the equation '" + equation + "': subscripts must be letters in [a-zA-Z]");
            }
        }
        return ellipsisAt;
    }

    private static int label(char c) {
        return c >= 'a' ? 26 + (c - 'a') : c - 'A';
    }

    private static String name(int label) {
        return label >= LETTERS ? "..." : String.valueOf((char) (label < 26 ? 'A' + label : 'a' + label - 26));
    }

    /** Letter labels in ASCII order (upper case first), as PyTorch orders an implicit output. */
    private static int[] alphabet() {
        int[] a = new int[LETTERS];
        for (int i = 0; i < LETTERS; i++) a[i] = i;
        return a;
    }

    private static int countInInputs(List<Term> terms, int label) {
        int n = 0;
        for (Term t : terms) {
            for (int l : t.labels) {
                if (l == label) n++;
            }
        }
        return n;
    }

    private static Term contractAll(List<Term> terms, List<Integer> output) {
        List<Term> reduced = new ArrayList<>();
        for (int k = 0; k < terms.size(); k++) {
            Term t = diagonals(terms.get(k));
            reduced.add(sumUnused(t, keptLabels(terms, k, -1, output)));
        }
        Term acc = reduced.get(0);
        for (int k = 1; k < reduced.size(); k++) {
            acc = contractPair(acc, reduced.get(k), keptAfter(reduced, k, output));
        }
        boolean[] inOutput = new boolean[LABELS];
        for (int l : output) inOutput[l] = true;
        return sumUnused(acc, inOutput);
    }

    /** Labels used by the output or by any operand other than {@code skipA} and {@code skipB}. */
    private static boolean[] keptLabels(List<Term> terms, int skipA, int skipB, List<Integer> output) {
        boolean[] kept = new boolean[LABELS];
        for (int l : output) kept[l] = true;
        for (int k = 0; k < terms.size(); k++) {
            if (k != skipA && k != skipB) {
                for (int l : terms.get(k).labels) kept[l] = true;
            }
        }
        return kept;
    }

    /** Labels needed after contracting operand {@code k} into the accumulator: the output and operands after k. */
    private static boolean[] keptAfter(List<Term> terms, int k, List<Integer> output) {
        boolean[] kept = new boolean[LABELS];
        for (int l : output) kept[l] = true;
        for (int j = k + 1; j < terms.size(); j++) {
            for (int l : terms.get(j).labels) kept[l] = true;
        }
        return kept;
    }

    /**
     * Takes the diagonal over every repeated label: the dims of one label are moved last, merged into one dim of
     * size n^r, and the entries whose r indices agree are picked by indexSelect (differentiable, no rule here).
     */
    private static Term diagonals(Term term) {
        Tensor t = term.t;
        List<Integer> labels = new ArrayList<>(term.labels);
        while (true) {
            int repeated = -1;
            for (int i = 0; i < labels.size() && repeated < 0; i++) {
                if (labels.lastIndexOf(labels.get(i)) != i) repeated = labels.get(i);
            }
            if (repeated < 0) {
                return new Term(t, labels);
            }
            List<Integer> same = new ArrayList<>();
            List<Integer> others = new ArrayList<>();
            for (int d = 0; d < labels.size(); d++) {
                (labels.get(d) == repeated ? same : others).add(d);
            }
            int[] order = new int[labels.size()];
            int p = 0;
            for (int d : others) order[p++] = d;
            for (int d : same) order[p++] = d;
            int n = t.shape[same.get(0)];
            int r = same.size();
            int[] merged = new int[others.size() + 1];
            for (int i = 0; i < others.size(); i++) merged[i] = t.shape[others.get(i)];
            merged[others.size()] = (int) Math.pow(n, r);
            int step = 0;
            for (int j = 0; j < r; j++) step = step * n + 1;
            int[] picks = new int[n];
            for (int i = 0; i < n; i++) picks[i] = i * step;
            t = t.permute(order).reshape(merged).indexSelect(-1, picks);
            List<Integer> next = new ArrayList<>();
            for (int d : others) next.add(labels.get(d));
            next.add(repeated);
            labels = next;
        }
    }

    /** Sums the dims whose labels are not kept. */
    private static Term sumUnused(Term term, boolean[] kept) {
        List<Integer> dims = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int d = 0; d < term.labels.size(); d++) {
            if (kept[term.labels.get(d)]) {
                labels.add(term.labels.get(d));
            } else {
                dims.add(d);
            }
        }
        if (dims.isEmpty()) {
            return term;
        }
        return new Term(term.t.sum(dims.stream().mapToInt(Integer::intValue).toArray(), false), labels);
    }

    /** Contracts two operands with one batched matmul: [batch, a-only, shared] x [batch, shared, b-only]. */
    private static Term contractPair(Term a, Term b, boolean[] kept) {
        a = dropBroadcastOnes(a, b);
        b = dropBroadcastOnes(b, a);
        // a label that is now in one operand only and not kept can be summed right away
        a = sumUnused(a, union(kept, b.labels));
        b = sumUnused(b, union(kept, a.labels));
        List<Integer> batch = new ArrayList<>();
        List<Integer> contracted = new ArrayList<>();
        List<Integer> aOnly = new ArrayList<>();
        List<Integer> bOnly = new ArrayList<>();
        for (int l : a.labels) {
            if (b.labels.contains(l)) {
                (kept[l] ? batch : contracted).add(l);
            } else {
                aOnly.add(l);
            }
        }
        for (int l : b.labels) {
            if (!a.labels.contains(l)) bOnly.add(l);
        }
        Tensor at = permute(a.t, order(a.labels, batch, aOnly, contracted));
        Tensor bt = permute(b.t, order(b.labels, batch, contracted, bOnly));
        int nb = product(a, batch);
        int m = product(a, aOnly);
        int k = product(a, contracted);
        int n = product(b, bOnly);
        Tensor out = at.reshape(nb, m, k).matmul(bt.reshape(nb, k, n));
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(aOnly);
        labels.addAll(bOnly);
        int[] shape = new int[labels.size()];
        for (int i = 0; i < shape.length; i++) {
            int l = labels.get(i);
            shape[i] = i < batch.size() + aOnly.size() ? size(a, l) : size(b, l);
        }
        return new Term(out.reshape(shape), labels);
    }

    /** Removes size-1 dims of labels that the other operand has at another size, 0 included (they broadcast). */
    private static Term dropBroadcastOnes(Term x, Term other) {
        List<Integer> labels = new ArrayList<>();
        List<Integer> shape = new ArrayList<>();
        boolean changed = false;
        for (int d = 0; d < x.labels.size(); d++) {
            int l = x.labels.get(d);
            int j = other.labels.indexOf(l);
            if (x.t.shape[d] == 1 && j >= 0 && other.t.shape[j] != 1) {
                changed = true;
            } else {
                labels.add(l);
                shape.add(x.t.shape[d]);
            }
        }
        return changed ? new Term(x.t.reshape(shape.stream().mapToInt(Integer::intValue).toArray()), labels) : x;
    }

    private static boolean[] union(boolean[] kept, List<Integer> labels) {
        boolean[] u = kept.clone();
        for (int l : labels) u[l] = true;
        return u;
    }

    private static int[] order(List<Integer> labels, List<Integer> first, List<Integer> second, List<Integer> third) {
        int[] order = new int[labels.size()];
        int p = 0;
        for (List<Integer> group : List.of(first, second, third)) {
            for (int l : group) order[p++] = labels.indexOf(l);
        }
        return order;
    }

    /** A permuted view, or the tensor itself for the identity order (the common case of a plain product). */
    private static Tensor permute(Tensor t, int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return t.permute(order);
            }
        }
        return t;
    }

    private static int size(Term t, int label) {
        return t.t.shape[t.labels.indexOf(label)];
    }

    private static int product(Term t, List<Integer> labels) {
        int p = 1;
        for (int l : labels) p *= size(t, l);
        return p;
    }

    /** Permutes to the output order; output labels the result lacks (broadcast size 1) become size-1 dims. */
    private static Tensor finish(Term result, List<Integer> output, int[] labelSize) {
        Tensor t = result.t;
        List<Integer> labels = new ArrayList<>(result.labels);
        for (int l : output) {
            if (!labels.contains(l)) {
                t = t.unsqueeze(t.dim());
                labels.add(l);
            }
        }
        int[] order = new int[output.size()];
        for (int i = 0; i < order.length; i++) order[i] = labels.indexOf(output.get(i));
        Tensor out = permute(t, order);
        int[] shape = new int[output.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = labelSize[output.get(i)];
        return Arrays.equals(out.shape, shape) ? out : out.expand(shape);
    }
}
