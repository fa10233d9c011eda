package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Idx}'s header limits at their exact values: a dimension of 0 is a valid empty tensor, and a header that
 * declares exactly the largest element count passes the size checks (and is then reported as truncated), one more
 * does not.
 */
class IdxLimitsTest {
    @TempDir
    Path dir;

    private Path idx(int type, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
            for (int d : dims) out.writeInt(d);
            out.write(body);
        }
        Path f = dir.resolve("t" + System.nanoTime() + ".idx");
        Files.write(f, bytes.toByteArray());
        return f;
    }

    @Test
    void aZeroDimensionIsAnEmptyTensor() throws IOException {
        Tensor t = Idx.read(idx(0x08, new int[] {0, 3}, new byte[0]));
        assertArrayEquals(new int[] {0, 3}, t.shape());
        assertEquals(DType.UINT8, t.dtype());
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.read(idx(0x08, new int[] {2, -1}, new byte[0])));
        assertTrue(e.getMessage().contains("dimension 1 is negative (-1)"), e.getMessage());
    }

    @Test
    void theLargestElementCountPassesTheSizeChecks() throws IOException {
        int max = (int) Idx.MAX_ELEMENTS;
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Idx.read(idx(0x08, new int[] {max}, new byte[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("truncated: the header promises dims [" + max + "]"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> Idx.read(idx(0x08, new int[] {max + 1}, new byte[0])));
        assertTrue(e.getMessage().contains("more than one tensor can hold"), e.getMessage());
        e = assertThrows(DataFormatException.class,
                () -> Idx.read(idx(0x0B, new int[] {max / 2 + 1}, new byte[0])));
        assertTrue(e.getMessage().contains("bytes of data, more than can be read at once"), e.getMessage());
        e = assertThrows(DataFormatException.class, () -> Idx.read(idx(0x0B, new int[] {max / 2}, new byte[0])));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
