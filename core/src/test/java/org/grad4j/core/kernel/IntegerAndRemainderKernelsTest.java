package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The integer kernels (floor division and remainder, sums, max, min, int copies) and the float floor division and
 * remainder, called directly on the scalar kernels and on the ones the provider picks, with offsets and strides:
 * against PyTorch 1.13's values ({@code floor_divide_table.csv}, from {@code make_floor_divide_table.py}) and against
 * naive loops written out here. The tensor-level {@code FloorDivideTableTest} reaches these kernels only through
 * contiguous one-element calls.
 */
class IntegerAndRemainderKernelsTest {
    private static final Kernels[] KERNELS = {KernelProvider.scalar(), KernelProvider.get()};

    private record Row(String dtype, String a, String b, String quotient, String remainder) {
    }

    private static List<Row> table() throws IOException {
        try (InputStream in = IntegerAndRemainderKernelsTest.class
                .getResourceAsStream("/org/grad4j/core/floor_divide_table.csv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Row> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String[] r = lines[i].trim().split(",");
                rows.add(new Row(r[0], r[1], r[2], r[3], r[4]));
            }
            return rows;
        }
    }

    /** Every table row of one dtype in one call: a at offset 1 stride 2, b at offset 2 stride 3, out at offset 3 stride 2. */
    @Test
    void floorDivisionAndRemainderOfWholeTablesMatchPyTorch() throws IOException {
        List<Row> rows = table();
        for (Kernels k : KERNELS) {
            for (boolean remainder : new boolean[] {false, true}) {
                List<Row> ints = rows.stream().filter(r -> r.dtype.startsWith("INT") && Long.parseLong(r.b) != 0)
                        .toList();
                int n = ints.size();
                long[] a = new long[1 + 2 * n];
                long[] b = new long[2 + 3 * n];
                long[] out = new long[3 + 2 * n];
                for (int i = 0; i < n; i++) {
                    a[1 + 2 * i] = Long.parseLong(ints.get(i).a);
                    b[2 + 3 * i] = Long.parseLong(ints.get(i).b);
                }
                k.floorDivide(remainder, a, 1, 2, b, 2, 3, out, 3, 2, n);
                for (int i = 0; i < n; i++) {
                    Row r = ints.get(i);
                    assertEquals(Long.parseLong(remainder ? r.remainder : r.quotient), out[3 + 2 * i],
                            k.name() + " " + r + " remainder=" + remainder);
                }
                for (String dtype : new String[] {"FLOAT32", "FLOAT64"}) {
                    List<Row> fs = rows.stream().filter(r -> r.dtype.equals(dtype)).toList();
                    int m = fs.size();
                    double[] ad = new double[1 + 2 * m];
                    double[] bd = new double[2 + 3 * m];
                    double[] od = new double[3 + 2 * m];
                    float[] af = new float[1 + 2 * m];
                    float[] bf = new float[2 + 3 * m];
                    float[] of = new float[3 + 2 * m];
                    for (int i = 0; i < m; i++) {
                        ad[1 + 2 * i] = Double.parseDouble(fs.get(i).a);
                        bd[2 + 3 * i] = Double.parseDouble(fs.get(i).b);
                        af[1 + 2 * i] = Float.parseFloat(fs.get(i).a);
                        bf[2 + 3 * i] = Float.parseFloat(fs.get(i).b);
                    }
                    if (dtype.equals("FLOAT64")) {
                        k.floorDivide(remainder, ad, 1, 2, bd, 2, 3, od, 3, 2, m);
                    } else {
                        k.floorDivide(remainder, af, 1, 2, bf, 2, 3, of, 3, 2, m);
                    }
                    for (int i = 0; i < m; i++) {
                        Row r = fs.get(i);
                        double expected = Double.parseDouble(remainder ? r.remainder : r.quotient);
                        double actual = dtype.equals("FLOAT64") ? od[3 + 2 * i] : of[3 + 2 * i];
                        String where = k.name() + " " + r + " remainder=" + remainder;
                        if (Double.isNaN(expected)) {
                            assertEquals(true, Double.isNaN(actual), where);
                        } else {
                            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void integerSumsWrapAndMaxMinReadEveryStridedElement() {
        SplittableRandom rng = new SplittableRandom(3);
        for (Kernels k : KERNELS) {
            for (int n : new int[] {1, 2, 7, 16, 33, 100}) {
                for (int stride : new int[] {1, 3}) {
                    long[] x = new long[2 + n * stride];
                    for (int i = 0; i < x.length; i++) x[i] = rng.nextLong();
                    for (int extreme = 0; extreme < n; extreme += Math.max(1, n / 5)) {
                        long[] y = x.clone();
                        y[2 + extreme * stride] = Long.MAX_VALUE;   // the largest at every position in turn
                        long[] z = x.clone();
                        z[2 + extreme * stride] = Long.MIN_VALUE;
                        String where = k.name() + " n=" + n + " stride=" + stride + " at " + extreme;
                        assertEquals(Long.MAX_VALUE, k.max(y, 2, stride, n), where);
                        assertEquals(Long.MIN_VALUE, k.min(z, 2, stride, n), where);
                    }
                    long sum = 0;   // wraps modulo 2^64, as PyTorch's int64 sums do
                    long max = Long.MIN_VALUE;
                    long min = Long.MAX_VALUE;
                    for (int i = 0; i < n; i++) {
                        long v = x[2 + i * stride];
                        sum += v;
                        max = v > max ? v : max;
                        min = v < min ? v : min;
                    }
                    String where = k.name() + " n=" + n + " stride=" + stride;
                    assertEquals(sum, k.sum(x, 2, stride, n), where);
                    assertEquals(max, k.max(x, 2, stride, n), where);
                    assertEquals(min, k.min(x, 2, stride, n), where);
                }
            }
            assertEquals(0L, k.sum(new long[] {5}, 0, 1, 0), k.name() + ": an empty sum is 0");
            assertEquals(Long.MIN_VALUE, k.sum(new long[] {Long.MAX_VALUE, 1}, 0, 1, 2), k.name() + ": wraps");
        }
    }

    @Test
    void intCopiesFollowBothStrides() {
        for (Kernels k : KERNELS) {
            for (int n : new int[] {0, 1, 5, 40}) {
                int[][] layouts = {{0, 1, 0, 1}, {2, 1, 1, 1}, {1, 3, 0, 1}, {0, 1, 2, 2}, {3, 2, 1, 3}};
                for (int[] l : layouts) {
                    int[] x = new int[l[0] + Math.max(1, n) * l[1]];
                    for (int i = 0; i < x.length; i++) x[i] = 1000 + i;
                    int[] out = new int[l[2] + Math.max(1, n) * l[3]];
                    java.util.Arrays.fill(out, -7);
                    int[] expected = out.clone();
                    for (int i = 0; i < n; i++) expected[l[2] + i * l[3]] = x[l[0] + i * l[1]];
                    k.copy(x, l[0], l[1], out, l[2], l[3], n);
                    assertArrayEquals(expected, out, k.name() + " n=" + n + " " + java.util.Arrays.toString(l));
                }
            }
        }
    }
}
