package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The indices topk, kthValue and the unstable sort choose among ties in rows of 1,500 and 3,000 elements with few
 * distinct values, against PyTorch 1.13 ({@code tie-order-reference.txt}, written by
 * {@code generate_tie_order_reference.py} next to it). Long rows drive the heap-based partial sort with heaps of
 * several levels, introselect and quickselect over many partitions, which the shorter rows of
 * {@link OrderingTorchReferenceTest} do not reach.
 */
class TieOrderLongRowsTest {
    private static final Map<String, long[]> REF = new HashMap<>();
    private static final int[] SIZES = {1500, 3000};

    @BeforeAll
    static void load() throws IOException {
        try (var in = TieOrderLongRowsTest.class.getResourceAsStream("tie-order-reference.txt")) {
            assertNotNull(in, "tie-order-reference.txt is missing");
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] parts = line.split("\\|", -1);
                    REF.put(parts[0], Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray());
                }
            }
        }
    }

    private static long[] ref(String name) {
        long[] v = REF.get(name);
        assertNotNull(v, "no reference entry " + name);
        return v;
    }

    private static Tensor input(int n, DType dtype) {
        return Tensor.of(ref("input." + n), n).to(dtype);
    }

    @Test
    void topkPicksPyTorchsIndicesAmongTies() {
        for (int n : SIZES) {
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT64}) {
                Tensor x = input(n, dtype);
                for (int k : new int[] {2, 3, 5, 8, 13, 23, 40, 100}) {
                    for (boolean largest : new boolean[] {true, false}) {
                        for (boolean sorted : new boolean[] {true, false}) {
                            String name = "topk." + n + "." + k + "." + py(largest) + "." + py(sorted);
                            ValuesAndIndices r = x.topk(k, 0, largest, sorted);
                            assertArrayEquals(ref(name), r.indices().toLongArray(), name + " " + dtype);
                            assertArrayEquals(x.gather(0, r.indices()).toDoubleArray(), r.values().toDoubleArray(),
                                    0.0, name);
                        }
                    }
                }
            }
        }
    }

    /** At exactly {@code k * 64 == n} PyTorch still takes the partial heap sort, whose tie order differs. */
    @Test
    void topkAtTheHeapSortBoundary() {
        int[][] cases = {{128, 2}, {192, 3}, {256, 4}};
        for (int[] c : cases) {
            Tensor x = input(c[0], DType.FLOAT64);
            for (boolean largest : new boolean[] {true, false}) {
                String name = "topk." + c[0] + "." + c[1] + "." + py(largest) + ".True";
                assertArrayEquals(ref(name), x.topk(c[1], 0, largest, true).indices().toLongArray(), name);
            }
        }
    }

    @Test
    void medianRefusesBoolLikePyTorch() {
        Tensor flags = Tensor.of(new long[] {1, 0, 1}, 3).to(DType.BOOL);
        org.junit.jupiter.api.Assertions.assertThrows(DTypeMismatchException.class, () -> flags.median(0));
        org.junit.jupiter.api.Assertions.assertThrows(DTypeMismatchException.class, () -> flags.kthValue(1, 0, false));
    }

    @Test
    void kthValuePicksPyTorchsIndexAmongTies() {
        for (int n : SIZES) {
            Tensor x = input(n, DType.FLOAT64);
            for (int k : new int[] {1, 2, n / 3, n / 2, n - 1, n}) {
                String name = "kthvalue." + n + "." + k;
                assertArrayEquals(ref(name), x.kthValue(k, 0, true).indices().toLongArray(), name);
            }
        }
    }

    @Test
    void unstableSortPicksPyTorchsOrderAmongTies() {
        for (int n : SIZES) {
            Tensor x = input(n, DType.FLOAT64);
            for (boolean descending : new boolean[] {true, false}) {
                String name = "sort." + n + "." + py(descending);
                assertArrayEquals(ref(name), x.sort(0, descending, false).indices().toLongArray(), name);
            }
        }
    }

    private static String py(boolean b) {
        return b ? "True" : "False";
    }
}
