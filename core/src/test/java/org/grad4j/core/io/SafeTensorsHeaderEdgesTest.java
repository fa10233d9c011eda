package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors reader's exact limits (integers of 18, 19 and 20 digits around {@code Long.MAX_VALUE}, a header of
 * length 0, element counts at the overflow guard), the values quoted in its messages, and the state-dict file
 * checks (a directory, a missing directory, an interrupted thread).
 */
class SafeTensorsHeaderEdgesTest {

    @TempDir
    Path dir;

    private static SafeTensorsFormatException rejects(String header, byte[] data) {
        return assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.decode(Bytes.file(header, data)));
    }

    private static String zeroSizeAt(String offset) {
        return "{\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[" + offset + "," + offset + "]}}";
    }

    @Test
    void offsetsUpToLongMaxValueAreReadAndOneMoreIsTooLarge() {
        for (String offset : new String[] {"999999999999999999", "1000000000000000000", "9223372036854775807", "-0"}) {
            SafeTensorsFormatException e = null;
            try {
                SafeTensors.decode(Bytes.file(zeroSizeAt(offset), new byte[0]));
            } catch (SafeTensorsFormatException thrown) {
                e = thrown;
            }
            if (offset.equals("-0")) {
                assertEquals(null, e, "-0 is the integer 0");
                continue;
            }
            assertTrue(e != null && e.getMessage().contains("data_offsets [" + offset + ", " + offset + "] run past the"
                    + " end of the data section"), offset + ": " + (e == null ? "accepted" : e.getMessage()));
        }
        for (String offset : new String[] {"9223372036854775808", "9999999999999999999", "10000000000000000000"}) {
            SafeTensorsFormatException e = rejects(zeroSizeAt(offset), new byte[0]);
            assertEquals("tensor \"z\" data_offsets begin is too large: the number " + offset, e.problem());
            assertEquals("<byte array>", e.source());
        }
    }

    @Test
    void aHeaderOfLengthZeroIsEmptyJsonNotAnAbsurdLength() {
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class,
                () -> SafeTensors.decode(new byte[8]));
        assertEquals("header is not valid JSON: unexpected end of text, expected a value at character 0 of the header",
                e.problem());
        // exactly the limit is allowed; this file is just too short for it
        SafeTensorsFormatException limit = assertThrows(SafeTensorsFormatException.class,
                () -> SafeTensors.decode(Bytes.create().u64(SafeTensors.MAX_HEADER_BYTES).ascii("{}").toArray()));
        assertTrue(limit.problem().startsWith("header length 100000000 runs past the end of the file"), limit.problem());
    }

    @Test
    void messagesQuoteTheOffendingValues() {
        SafeTensorsFormatException bool = rejects("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}",
                new byte[] {0, 1, (byte) 0x80});
        assertEquals("tensor \"m\" has dtype BOOL but byte 2 of its data is 128; a BOOL element must be 0 or 1",
                bool.problem());
        String forty = "x".repeat(40);
        assertEquals("tensor \"w\" must be an object with \"dtype\", \"shape\" and \"data_offsets\", found the string \""
                + forty + "\"", rejects("{\"w\":\"" + forty + "\"}", new byte[0]).problem());
        assertEquals("tensor \"w\" must be an object with \"dtype\", \"shape\" and \"data_offsets\", found the string \""
                + forty + "...\"", rejects("{\"w\":\"" + forty + "y\"}", new byte[0]).problem());
        String fortyDigits = "1".repeat(38) + ".5";
        assertEquals("tensor \"w\" dimension 0 of \"shape\" must be an integer, found the number " + fortyDigits,
                rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + fortyDigits + "],\"data_offsets\":[0,0]}}",
                        new byte[0]).problem());
        assertEquals("tensor \"w\" dimension 0 of \"shape\" must be an integer, found the number " + fortyDigits + "...",
                rejects("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + fortyDigits + "5],\"data_offsets\":[0,0]}}",
                        new byte[0]).problem());
        assertEquals("tensor \"w\" must be an object with \"dtype\", \"shape\" and \"data_offsets\", found true",
                rejects("{\"w\":true}", new byte[0]).problem());
        assertEquals("tensor \"w\" must be an object with \"dtype\", \"shape\" and \"data_offsets\", found null",
                rejects("{\"w\":null}", new byte[0]).problem());
        // whitespace inside empty containers
        assertEquals("tensor \"w\" must be an object with \"dtype\", \"shape\" and \"data_offsets\", found an array",
                rejects("{ \"w\" : [ ] }", new byte[0]).problem());
        assertEquals("tensor \"w\" has no \"dtype\"", rejects("{\"w\":{ }}", new byte[0]).problem());
    }

    @Test
    void spanOfOffsetsThatDoNotStartAtZero() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[4,20]}}";
        assertEquals("tensor \"w\" has dtype F32 and shape [5], which need 20 bytes, but its data_offsets [4, 20] span 16",
                rejects(header, new byte[20]).problem());
    }

    @Test
    void elementCountsAtTheOverflowGuard() {
        // Long.MAX_VALUE / 8 / (2^31 - 1) is 2^29 exactly (rounded down), so this count is allowed; one more is not
        assertEquals((1L << 29) * Integer.MAX_VALUE, TensorData.numel(new int[] {1 << 29, Integer.MAX_VALUE}));
        assertThrows(IllegalArgumentException.class, () -> TensorData.numel(new int[] {(1 << 29) + 1, Integer.MAX_VALUE}));
        assertEquals(0, TensorData.numel(new int[] {Integer.MAX_VALUE, 0, Integer.MAX_VALUE}));
    }

    @Test
    void typedReadOutsRefuseOtherDtypes() {
        TensorData ints = TensorData.ofInts(new int[] {1, 2}, 2);
        TensorData longs = TensorData.ofLongs(new long[] {1}, 1);
        assertEquals("tensor dtype is I32, not I64", assertThrows(IllegalStateException.class, ints::toLongArray).getMessage());
        assertEquals("tensor dtype is I64, not I32", assertThrows(IllegalStateException.class, longs::toIntArray).getMessage());
        assertArrayEquals(new int[] {1, 2}, ints.toIntArray());
        assertArrayEquals(new long[] {1}, longs.toLongArray());
    }

    @Test
    void stateDictFilesRefuseADirectoryAndAMissingDirectoryByName() throws IOException {
        Map<String, Tensor> tensors = Map.of("w", Tensor.of(new float[] {1, 2}));
        FileSystemException save = assertThrows(FileSystemException.class,
                () -> StateDictFile.save(dir, tensors, null));
        assertTrue(save.getMessage().contains("save: this is a directory; give the path of a file in it, e.g. "
                + dir.resolve("model.safetensors")), save.getMessage());
        FileSystemException load = assertThrows(FileSystemException.class, () -> StateDictFile.load(dir));
        assertTrue(load.getMessage().contains("load: this is a directory, not a safetensors file"), load.getMessage());
        Path missing = dir.resolve("no-such-dir").resolve("w.safetensors");
        NoSuchFileException absent = assertThrows(NoSuchFileException.class,
                () -> StateDictFile.save(missing, tensors, null));
        assertTrue(absent.getMessage().contains("the directory does not exist; create it first"), absent.getMessage());
        Path file = dir.resolve("w.safetensors");
        StateDictFile.save(file, tensors, null);
        assertArrayEquals(new float[] {1, 2}, StateDictFile.load(file).tensors().get("w").toFloatArray());
    }

    @Test
    void anInterruptedThreadGetsAnInterruptedIoExceptionAndTheFileIsUnchanged() throws IOException {
        Path file = dir.resolve("w.safetensors");
        StateDictFile.save(file, Map.of("w", Tensor.of(new float[] {1})), null);
        byte[] before = Files.readAllBytes(file);
        Thread.currentThread().interrupt();
        InterruptedIOException e;
        try {
            e = assertThrows(InterruptedIOException.class,
                    () -> StateDictFile.save(file, Map.of("w", Tensor.of(new float[] {2, 3})), null));
        } finally {
            Thread.interrupted();
        }
        assertTrue(e.getMessage().startsWith("save " + file + ": the thread was interrupted"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        Thread.currentThread().interrupt();
        try {
            InterruptedIOException l = assertThrows(InterruptedIOException.class, () -> StateDictFile.load(file));
            assertTrue(l.getMessage().startsWith("load " + file + ": the thread was interrupted"), l.getMessage());
        } finally {
            Thread.interrupted();
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
