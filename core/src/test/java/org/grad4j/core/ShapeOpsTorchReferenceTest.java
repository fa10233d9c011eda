package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * scatterReduce, unique, searchsorted, bucketize, pad, repeatInterleave and roll against PyTorch 1.13, read from
 * {@code shape-ops-reference.txt}, which {@code generate_shape_ops_reference.py} (next to it) wrote. Gradients are of
 * {@code sum(w * out)} with the script's weights; scatterReduce's cases include ties (amax, amin, self included) and
 * single and repeated zeros (prod). Also {@code Linalg.lstsqFull} against {@code torch.linalg.lstsq(driver="gelsd")}.
 */
class ShapeOpsTorchReferenceTest {
    private static final double TOL = 1e-12;
    private static final Map<String, Tensor> REF = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (var in = ShapeOpsTorchReferenceTest.class.getResourceAsStream("shape-ops-reference.txt")) {
            assertNotNull(in, "shape-ops-reference.txt is missing");
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\\|", -1);
                int[] shape = parts[1].isEmpty() ? new int[0]
                        : Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] values = parts[2].isEmpty() ? new double[0]
                        : Arrays.stream(parts[2].split(",")).mapToDouble(Double::parseDouble).toArray();
                REF.put(parts[0], Tensor.ofShape(values, shape));
            }
        }
    }

    private static Tensor ref(String name) {
        Tensor t = REF.get(name);
        assertNotNull(t, "no reference entry " + name);
        return t;
    }

    private static Tensor longs(String name) {
        return ref(name).to(DType.INT64);
    }

    private static int[] ints(String name) {
        return ref(name).toIntArray();
    }

    private static void assertClose(String name, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= TOL * Math.max(1, Math.abs(e[i])),
                    name + " element " + i + ": expected " + e[i] + ", got " + a[i]);
        }
    }

    private static void assertExact(String name, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name);
    }

    /** Checks {@code f(x)} and the gradient of {@code sum(w * f(x))} against the entries {@code name.*}. */
    private static void assertValueAndGrad(String name, String input, Function<Tensor, Tensor> f) {
        Tensor x = ref(input).detach().requiresGrad(true);   // a fresh leaf: grads must not accumulate
        Tensor out = f.apply(x);
        assertClose(name, ref(name), out);
        out.mul(ref(name + ".w")).sum().backward();
        assertClose(name + ".grad", ref(name + ".grad.x"), x.grad());
    }

    @Test
    void scatterReduceMatchesTorchInEveryModeWithAndWithoutSelf() {
        for (String reduce : new String[] {"sum", "mean", "prod", "amax", "amin"}) {
            for (boolean includeSelf : new boolean[] {true, false}) {
                for (int dim = 0; dim < 2; dim++) {
                    String name = "scatterReduce." + reduce + "." + (includeSelf ? "True" : "False") + "." + dim;
                    Tensor self = ref(name + ".self").detach().requiresGrad(true);
                    Tensor src = ref(name + ".src").detach().requiresGrad(true);
                    Tensor index = longs(name + ".index");
                    Tensor out = self.scatterReduce(dim, index, src, reduce, includeSelf);
                    assertClose(name + ".out", ref(name + ".out"), out);
                    out.mul(ref(name + ".w")).sum().backward();
                    assertClose(name + ".grad.self", ref(name + ".grad.self"), self.grad());
                    assertClose(name + ".grad.src", ref(name + ".grad.src"), src.grad());

                    Tensor intOut = longs(name + ".int.self").scatterReduce(dim, index, longs(name + ".int.src"),
                            reduce, includeSelf);
                    assertEquals(DType.INT64, intOut.dtype());
                    assertExact(name + ".int.out", longs(name + ".int.out"), intOut);
                }
            }
        }
    }

    @Test
    void uniqueMatchesTorch() {
        Unique u = longs("unique.in").unique(true, true, true);
        assertExact("unique.values", longs("unique.values"), u.values());
        assertExact("unique.inverse", longs("unique.inverse"), u.inverse());
        assertExact("unique.counts", longs("unique.counts"), u.counts());
        assertEquals(DType.INT64, u.values().dtype());
        for (int dim = 0; dim < 2; dim++) {
            Unique d = longs("uniqueDim.in").unique(true, true, true, dim);
            assertExact("uniqueDim.values " + dim, longs("uniqueDim." + dim + ".values"), d.values());
            assertExact("uniqueDim.inverse " + dim, longs("uniqueDim." + dim + ".inverse"), d.inverse());
            assertExact("uniqueDim.counts " + dim, longs("uniqueDim." + dim + ".counts"), d.counts());
        }
        Unique f = ref("uniqueFloat.in").unique(true, true, true);
        assertClose("uniqueFloat.values", ref("uniqueFloat.values"), f.values());
        assertExact("uniqueFloat.inverse", longs("uniqueFloat.inverse"), f.inverse());
        assertExact("uniqueFloat.counts", longs("uniqueFloat.counts"), f.counts());
    }

    @Test
    void searchsortedAndBucketizeMatchTorch() {
        Tensor seq = ref("searchsorted.seq");
        Tensor values = ref("searchsorted.values");
        assertExact("left", longs("searchsorted.left"), Tensor.searchsorted(seq, values));
        assertExact("right", longs("searchsorted.right"), Tensor.searchsorted(seq, values, true));
        Tensor shuffled = ref("searchsorted.shuffled");
        Tensor sorter = longs("searchsorted.sorter");
        assertExact("sorterLeft", longs("searchsorted.sorterLeft"),
                Tensor.searchsorted(shuffled, values, "left", sorter, false));
        assertExact("sorterRight", longs("searchsorted.sorterRight"),
                Tensor.searchsorted(shuffled, values, "right", sorter.to(DType.INT32), false));
        assertExact("rows", longs("searchsorted.rows"),
                Tensor.searchsorted(ref("searchsorted.seq2"), ref("searchsorted.values2")));
        Tensor iseq = ref("searchsorted.iseq").to(DType.INT32);
        Tensor ivals = longs("searchsorted.ivals");
        Tensor int32 = Tensor.searchsorted(iseq, ivals, "left", null, true);
        assertEquals(DType.INT32, int32.dtype());
        assertExact("ileftInt32", longs("searchsorted.ileftInt32"), int32);
        assertExact("iright", longs("searchsorted.iright"), Tensor.searchsorted(iseq, ivals, true));
        Tensor bounds = ref("bucketize.bounds");
        Tensor x = ref("bucketize.x");
        assertExact("bucketize.left", longs("bucketize.left"), x.bucketize(bounds, false));
        assertExact("bucketize.right", longs("bucketize.right"), x.bucketize(bounds, true));
        assertEquals(DType.INT32, x.bucketize(bounds, true, true).dtype());
    }

    @Test
    void padMatchesTorchInEveryMode() {
        String[][] cases = {{"constant.a", "constant", "1.5"}, {"constant.b", "constant", "0"},
            {"constant.crop", "constant", "-3"}, {"reflect.a", "reflect", "0"}, {"reflect.b", "reflect", "0"},
            {"replicate.a", "replicate", "0"}, {"replicate.b", "replicate", "0"}, {"circular.a", "circular", "0"},
            {"circular.b", "circular", "0"}};
        for (String[] c : cases) {
            int[] pads = ints("pad." + c[0] + ".pads");
            String input = pads.length == 2 ? "pad.x" : "pad.x4";
            double value = Double.parseDouble(c[2]);
            Tensor x = ref(input).detach().requiresGrad(true);   // a fresh leaf: grads must not accumulate
            Tensor out = x.pad(pads, c[1], value);
            String name = "pad." + c[0];
            assertClose(name, ref(name + ".out"), out);
            out.mul(ref(name + ".w")).sum().backward();
            assertClose(name + ".grad", ref(name + ".grad.x"), x.grad());
        }
    }

    @Test
    void repeatInterleaveMatchesTorch() {
        Tensor reps = longs("repeatInterleave.reps");
        assertValueAndGrad("repeatInterleave.tensorDim0", "repeatInterleave.x", x -> x.repeatInterleave(reps, 0));
        assertValueAndGrad("repeatInterleave.intDim1", "repeatInterleave.x", x -> x.repeatInterleave(3, 1));
        assertValueAndGrad("repeatInterleave.intFlat", "repeatInterleave.x", x -> x.repeatInterleave(2));
        Tensor reps12 = longs("repeatInterleave.reps12").to(DType.INT32);
        assertValueAndGrad("repeatInterleave.tensorFlat", "repeatInterleave.x", x -> x.repeatInterleave(reps12));
    }

    @Test
    void rollMatchesTorch() {
        assertValueAndGrad("roll.dims", "roll.x", x -> x.roll(new int[] {1, -5}, 0, 2));
        assertValueAndGrad("roll.flat", "roll.x", x -> x.roll(7));
        assertClose("roll.sameDim", ref("roll.sameDim"), ref("roll.x").roll(new int[] {2, 1}, -1, -1));
    }

    /** Linalg.lstsqFull against torch.linalg.lstsq(driver="gelsd"): different algorithms, so to rounding only. */
    @Test
    void lstsqFullMatchesTorchGelsd() {
        for (String name : new String[] {"tall", "deficient", "wide", "batched"}) {
            String at = "lstsq." + name;
            Tensor a = ref(at + ".a").detach().requiresGrad(true);
            Tensor b = ref(at + ".b").detach().requiresGrad(true);
            Linalg.Lstsq r = Linalg.lstsqFull(a, b);
            assertCloseTo(at + ".solution", ref(at + ".solution"), r.solution(), 1e-9);
            assertCloseTo(at + ".residuals", ref(at + ".residuals"), r.residuals(), 1e-9);
            assertCloseTo(at + ".singularValues", ref(at + ".singularValues"), r.singularValues(), 1e-9);
            assertEquals(DType.INT64, r.rank().dtype());
            assertExact(at + ".rank", longs(at + ".rank"), r.rank());
            if (!name.equals("deficient")) {
                r.solution().mul(ref(at + ".w")).sum().backward();
                assertCloseTo(at + ".grad.a", ref(at + ".grad.a"), a.grad(), 1e-8);
                assertCloseTo(at + ".grad.b", ref(at + ".grad.b"), b.grad(), 1e-8);
            }
        }
    }

    private static void assertCloseTo(String name, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tol * Math.max(1, Math.abs(e[i])),
                    name + " element " + i + ": expected " + e[i] + ", got " + a[i]);
        }
    }
}
