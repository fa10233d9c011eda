package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Linalg's values, gradients and second derivatives against torch.linalg (PyTorch 1.13), read from
 * {@code linalg-reference.txt}, which {@code generate_linalg_reference.py} (next to it) wrote. Gradients are of
 * {@code sum_i <w_i, out_i>} with the script's weights; second derivatives are {@code d<grad, v>/dA}.
 */
class LinalgTorchReferenceTest {
    /** float64 both sides; different algorithms (LAPACK vs Jacobi / our LU), so agreement is to rounding only. */
    private static final double TOL = 1e-10;
    private static final Map<String, Tensor> REF = new HashMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (var in = LinalgTorchReferenceTest.class.getResourceAsStream("linalg-reference.txt")) {
            assertNotNull(in, "linalg-reference.txt is missing");
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split("\\|", -1);
                int[] shape = parts[1].isEmpty() ? new int[0]
                        : java.util.Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] values = parts[2].isEmpty() ? new double[0]
                        : java.util.Arrays.stream(parts[2].split(",")).mapToDouble(Double::parseDouble).toArray();
                REF.put(parts[0], Tensor.ofShape(values, shape));
            }
        }
    }

    private static Tensor ref(String name) {
        Tensor t = REF.get(name);
        assertNotNull(t, "no reference entry " + name);
        return t;
    }

    private static void assertClose(String name, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= TOL * Math.max(1, Math.abs(e[i])),
                    name + " element " + i + ": torch " + e[i] + ", grad4j " + a[i]);
        }
    }

    private static void assertValue(String name, Tensor actual) {
        assertClose(name, ref(name), actual);
    }

    @Test
    void values() {
        Tensor a = ref("in.A");
        Tensor ab = ref("in.Ab");
        assertValue("det.A", Linalg.det(a));
        assertValue("det.Ab", Linalg.det(ab));
        assertValue("inv.A", Linalg.inv(a));
        assertValue("inv.Ab", Linalg.inv(ab));
        assertValue("solve.A.B", Linalg.solve(a, ref("in.B")));
        assertValue("solve_triangular.lower", Linalg.solveTriangular(ref("in.Lt"), ref("in.B"), false));
        assertValue("solve_triangular.upper", Linalg.solveTriangular(ref("in.Lt").mT(), ref("in.B"), true));
        Linalg.SlogDet slogdet = Linalg.slogdet(ab);
        assertValue("slogdet.Ab.sign", slogdet.sign());
        assertValue("slogdet.Ab.logabsdet", slogdet.logAbsDet());
        assertValue("cholesky.S", Linalg.cholesky(ref("in.S")));
        for (String m : List.of("T", "W")) {
            Tensor x = ref("in." + m);
            Linalg.QR qr = Linalg.qr(x);
            assertValue("qr." + m + ".Q", qr.q());
            assertValue("qr." + m + ".R", qr.r());
            Linalg.SVD svd = Linalg.svd(x);
            assertValue("svd." + m + ".U", svd.u());
            assertValue("svd." + m + ".S", svd.s());
            assertValue("svd." + m + ".Vh", svd.vh());
            assertValue("pinv." + m, Linalg.pinv(x));
        }
        Linalg.Eigh eigh = Linalg.eigh(ref("in.H"));
        assertValue("eigh.H.L", eigh.eigenvalues());
        assertValue("eigh.H.V", eigh.eigenvectors());
        Tensor t = ref("in.T");
        for (String ord : List.of("fro", "nuc")) assertValue("matrix_norm." + ord + ".T", Linalg.matrixNorm(t, ord));
        for (String ord : List.of("1", "-1", "2", "-2", "inf", "-inf")) {
            assertValue("matrix_norm." + ord + ".T", Linalg.matrixNorm(t, parse(ord)));
        }
        Tensor x = ref("in.x");
        for (String ord : List.of("2", "1", "3", "0.5", "-1", "inf", "-inf", "0")) {
            assertValue("vector_norm." + ord + ".x", Linalg.vectorNorm(x, parse(ord)));
            assertValue("vector_norm." + ord + ".T.dim0", Linalg.vectorNorm(t, parse(ord), new int[] {0}, false));
        }
        assertValue("lstsq.T.BT", Linalg.lstsq(t, ref("in.BT")));
        assertValue("lstsq.W.BW", Linalg.lstsq(ref("in.W"), ref("in.BW")));
    }

    private static double parse(String ord) {
        return switch (ord) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(ord);
        };
    }

    /** Gradient of sum_i <w_i, f(in)_i> and d<grad, v>/d in, against the script's. */
    private static void assertGradients(String key, Function<Tensor[], Tensor[]> f, Tensor... inputs) {
        Tensor[] ins = new Tensor[inputs.length];
        for (int i = 0; i < ins.length; i++) ins[i] = inputs[i].detach().copy().requiresGrad(true);
        Tensor[] outs = f.apply(ins);
        Tensor loss = null;
        for (int i = 0; i < outs.length; i++) {
            Tensor term = ref(key + ".w" + i).mul(outs[i]).sum();
            loss = loss == null ? term : loss.add(term);
        }
        List<Tensor> grads = Autograd.grad(loss, List.of(ins), true);
        Tensor inner = null;
        for (int i = 0; i < ins.length; i++) {
            assertClose(key + ".grad" + i, ref(key + ".grad" + i), grads.get(i));
            Tensor term = grads.get(i).mul(ref(key + ".v" + i)).sum();
            inner = inner == null ? term : inner.add(term);
        }
        List<Tensor> second = new ArrayList<>();
        if (inner.requiresGrad()) {
            second = Autograd.grad(List.of(inner), List.of(ins), null, false, false, true);
        }
        for (int i = 0; i < ins.length; i++) {
            Tensor g2 = second.isEmpty() || second.get(i) == null ? ins[i].detach().zerosLike() : second.get(i);
            assertClose(key + ".gradgrad" + i, ref(key + ".gradgrad" + i), g2);
        }
    }

    @Test
    void gradientsAndSecondDerivatives() {
        Tensor a = ref("in.A");
        Tensor t = ref("in.T");
        Tensor w = ref("in.W");
        assertGradients("g.det", in -> new Tensor[] {Linalg.det(in[0])}, a);
        assertGradients("g.det.singular", in -> new Tensor[] {Linalg.det(in[0])}, ref("in.Asing"));
        assertGradients("g.inv", in -> new Tensor[] {Linalg.inv(in[0])}, a);
        assertGradients("g.solve", in -> new Tensor[] {Linalg.solve(in[0], in[1])}, a, ref("in.B"));
        assertGradients("g.solve_triangular", in -> new Tensor[] {Linalg.solveTriangular(in[0], in[1], false)},
                ref("in.Lt"), ref("in.B"));
        assertGradients("g.solve_triangular.upper", in -> new Tensor[] {Linalg.solveTriangular(in[0], in[1], true)},
                a, ref("in.B"));
        assertGradients("g.slogdet", in -> new Tensor[] {Linalg.slogdet(in[0]).logAbsDet()}, ref("in.Ab"));
        assertGradients("g.cholesky", in -> new Tensor[] {Linalg.cholesky(in[0])}, ref("in.S"));
        assertGradients("g.qr.T", in -> qr(in[0]), t);
        assertGradients("g.qr.W", in -> qr(in[0]), w);
        assertGradients("g.eigh", in -> {
            Linalg.Eigh e = Linalg.eigh(in[0]);
            return new Tensor[] {e.eigenvalues(), e.eigenvectors().square()};
        }, ref("in.H"));
        assertGradients("g.svd.T", in -> svd(in[0]), t);
        assertGradients("g.svd.W", in -> svd(in[0]), w);
        assertGradients("g.pinv.T", in -> new Tensor[] {Linalg.pinv(in[0])}, t);
        assertGradients("g.pinv.W", in -> new Tensor[] {Linalg.pinv(in[0])}, w);
        assertValue("pinv.Tdef", Linalg.pinv(ref("in.Tdef")));
        assertGradients("g.pinv.Tdef", in -> new Tensor[] {Linalg.pinv(in[0])}, ref("in.Tdef"));
        assertGradients("g.pinv.I", in -> new Tensor[] {Linalg.pinv(in[0])}, Tensor.eye(3, DType.FLOAT64));
        assertGradients("g.lstsq.T", in -> new Tensor[] {Linalg.lstsq(in[0], in[1])}, t, ref("in.BT"));
        for (String ord : List.of("fro", "nuc")) {
            assertGradients("g.matrix_norm." + ord, in -> new Tensor[] {Linalg.matrixNorm(in[0], ord)}, t);
        }
        for (String ord : List.of("1", "-1", "2", "-2", "inf", "-inf")) {
            assertGradients("g.matrix_norm." + ord, in -> new Tensor[] {Linalg.matrixNorm(in[0], parse(ord))}, t);
        }
        for (String ord : List.of("2", "1", "3", "0.5", "-1", "inf", "-inf")) {
            assertGradients("g.vector_norm." + ord, in -> new Tensor[] {Linalg.vectorNorm(in[0], parse(ord))},
                    ref("in.x"));
        }
    }

    private static Tensor[] qr(Tensor x) {
        Linalg.QR f = Linalg.qr(x);
        return new Tensor[] {f.q(), f.r()};
    }

    private static Tensor[] svd(Tensor x) {
        Linalg.SVD f = Linalg.svd(x);
        return new Tensor[] {f.u().square(), f.s(), f.vh().square()};
    }
}
