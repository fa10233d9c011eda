package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Promotion against a table produced by real PyTorch 1.13 ({@code make_promotion_table.py} beside the table): the
 * result dtypes of add, div and gt for every pair of dtypes, with tensors with dims, 0-d tensors, and Java numbers
 * standing for Python numbers.
 */
class PromotionTableTest {

    private static Tensor operand(String kind, String dtype) {
        return switch (kind) {
            case "tensor" -> Tensor.ones(DType.valueOf(dtype), 3);
            case "zerodim" -> Tensor.ones(DType.valueOf(dtype));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static List<String[]> rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = PromotionTableTest.class.getResourceAsStream("promotion_table.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }

    @Test
    void everyPairPromotesAsPyTorch() throws IOException {
        List<String[]> rows = rows();
        assertEquals(2 * 6 * (12 + 2), rows.size(), "the table covers every pair");
        for (String[] r : rows) {
            Tensor a = operand(r[0], r[1]);
            DType add = DType.valueOf(r[4]);
            DType div = DType.valueOf(r[5]);
            DType gt = DType.valueOf(r[6]);
            String what = String.join(",", r);
            switch (r[2]) {
                case "double" -> {
                    assertEquals(add, Promotion.withDouble(a.dtype()), what);
                    assertEquals(add, a.add(2.5).dtype(), what);
                    assertEquals(div, a.div(2.5).dtype(), what);
                    assertEquals(gt, a.gt(2.5).dtype(), what);
                }
                case "long" -> {
                    assertEquals(add, Promotion.withLong(a.dtype()), what);
                    assertEquals(add, a.add(2L).dtype(), what);
                    assertEquals(add, a.mul(2L).dtype(), what);
                    assertEquals(div, a.div(2L).dtype(), what);
                    assertEquals(gt, a.gt(2L).dtype(), what);
                }
                default -> {
                    Tensor b = operand(r[2], r[3]);
                    assertEquals(add, Promotion.resultType(a, b), what);
                    assertEquals(add, a.add(b).dtype(), what);
                    assertEquals(add, a.maximum(b).dtype(), what);
                    assertEquals(div, a.div(b).dtype(), what);
                    assertEquals(gt, a.gt(b).dtype(), what);
                    if (a.dtype() != DType.BOOL && b.dtype() != DType.BOOL) {   // PyTorch refuses those
                        assertEquals(add, a.sub(b).dtype(), what);
                    }
                }
            }
        }
    }
}
