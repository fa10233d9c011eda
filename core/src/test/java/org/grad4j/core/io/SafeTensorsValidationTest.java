package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed input must fail with a {@link SafeTensorsFormatException} that says what is wrong, and nothing else. */
class SafeTensorsValidationTest {

    @TempDir
    Path dir;

    static byte[] sample() {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("w", TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b", TensorData.ofDoubles(new double[] {0.5, -0.5}, 2));
        tensors.put("s", TensorData.ofFloats(new float[] {7}));
        return SafeTensors.encode(tensors, Map.of("format", "pt"));
    }

    /** Asserts decoding {@code bytes} fails with a message containing every one of {@code phrases}. */
    static SafeTensorsFormatException rejects(byte[] bytes, String... phrases) {
        SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.decode(bytes));
        assertTrue(e.getMessage().startsWith("<byte array>: "), e.getMessage());
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), () -> "expected \"" + phrase + "\" in: " + e.getMessage());
        }
        return e;
    }

    static SafeTensorsFormatException rejectsHeader(String header, byte[] data, String... phrases) {
        return rejects(Bytes.file(header, data), phrases);
    }

    static String tensor(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void truncationAtEveryByteFails() throws Exception {
        byte[] bytes = sample();
        SafeTensors.decode(bytes); // the whole file is fine
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.decode(cut),
                    "truncated to " + length + " bytes");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("shorter than"), e.getMessage());
        }
    }

    @Test
    void truncatedFilesOnDiskFailNamingTheFile() throws Exception {
        byte[] bytes = sample();
        for (int length = 0; length < bytes.length; length++) {
            Path file = dir.resolve("cut-" + length + ".safetensors");
            Files.write(file, Arrays.copyOf(bytes, length));
            SafeTensorsFormatException e = assertThrows(SafeTensorsFormatException.class, () -> SafeTensors.read(file));
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertEquals(file.toString(), e.source());
        }
    }

    @Test
    void extraBytesAfterTheLastTensorFail() {
        byte[] bytes = Arrays.copyOf(sample(), sample().length + 1);
        rejects(bytes, "1 unexpected bytes at the end");
    }

    @Test
    void tooShortForTheLengthPrefix() {
        rejects(new byte[0], "0 bytes long", "shorter than the 8-byte header length");
        rejects(new byte[7], "7 bytes long");
    }

    @Test
    void absurdHeaderLengths() {
        rejects(Bytes.create().u64(-1L).ascii("{}").toArray(), "header length 18446744073709551615", "100000000-byte limit");
        rejects(Bytes.create().u64(100_000_001L).ascii("{}").toArray(), "header length 100000001", "limit");
        rejects(Bytes.create().u64(3).ascii("{}").toArray(), "header length 3 runs past the end", "2 bytes after", "truncated");
    }

    @Test
    void invalidUtf8() {
        byte[] bytes = Bytes.create().u64(6).ascii("{\"").raw((byte) 0xc3, (byte) 0x28).ascii("\"}").toArray();
        rejects(bytes, "not valid UTF-8", "header byte 2", "file offset 10");
        // A UTF-8-encoded surrogate (CESU-8) is not valid UTF-8 either.
        rejects(Bytes.create().u64(7).ascii("{\"").raw((byte) 0xed, (byte) 0xa0, (byte) 0x80).ascii("\"}").toArray(), "not valid UTF-8");
    }

    @Test
    void invalidJsonSaysWhere() {
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",}}", new byte[0], "not valid JSON", "expected a string key", "character 20");
        rejectsHeader("{\"w\" {}}", new byte[0], "not valid JSON", "expected ':'", "character 5");
        rejectsHeader("{\"w\":{}", new byte[0], "not valid JSON", "end of text");
        rejectsHeader("", new byte[0], "not valid JSON", "end of text");
        rejectsHeader("{} x", new byte[0], "not valid JSON", "after the end of the JSON value");
        rejectsHeader("{}\0\0\0\0\0\0", new byte[0], "not valid JSON", "U+0000");
        rejectsHeader("{\"a\nb\":1}", new byte[0], "unescaped control character");
        rejectsHeader("{\"\\x\":1}", new byte[0], "invalid escape");
        rejectsHeader("{\"\\ud800\":1}", new byte[0], "unpaired surrogate");
        rejectsHeader("{\"a\":01}", new byte[0], "not valid JSON");
        rejectsHeader("{\"a\":tru}", new byte[0], "expected true");
        rejectsHeader("[".repeat(100_000), new byte[0], "nesting deeper than 64");
    }

    @Test
    void headerMustBeAnObjectOfTensorEntries() {
        rejectsHeader("[]", new byte[0], "header must be a JSON object", "an array");
        rejectsHeader("{\"w\":[1,2]}", new byte[0], "tensor \"w\" must be an object");
        rejectsHeader("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4], "tensor \"w\" has no \"dtype\"");
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4], "tensor \"w\" has no \"shape\"");
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4], "tensor \"w\" has no \"data_offsets\"");
        rejectsHeader("{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4], "\"dtype\" must be a string");
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,4]}}", new byte[4], "\"shape\" must be an array");
    }

    @Test
    void duplicateKeys() {
        rejectsHeader("{" + tensor("w", "F32", "[1]", "[0,4]") + "," + tensor("w", "F32", "[1]", "[4,8]") + "}", new byte[8],
                "duplicate key \"w\"");
        rejectsHeader("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4], "duplicate key \"dtype\"");
        rejectsHeader("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", new byte[0], "duplicate key \"k\"");
    }

    @Test
    void dtypes() {
        rejectsHeader("{" + tensor("w", "I16", "[2]", "[0,4]") + "}", new byte[4],
                "tensor \"w\" has unsupported dtype \"I16\"", "grad4j reads F32, F64, I64, I32, U8, BOOL, F16 or BF16");
        rejectsHeader("{" + tensor("idx", "U64", "[1]", "[0,8]") + "}", new byte[8], "tensor \"idx\" has unsupported dtype \"U64\"");
        rejectsHeader("{" + tensor("w", "BF16", "[2]", "[0,8]") + "}", new byte[8], "tensor \"w\"");
        rejectsHeader("{" + tensor("mask", "BOOL", "[2]", "[0,2]") + "}", new byte[] {1, 2},
                "tensor \"mask\" has dtype BOOL but byte 1 of its data is 2");
        rejectsHeader("{" + tensor("w", "F33", "[1]", "[0,4]") + "}", new byte[4], "tensor \"w\" has unknown dtype \"F33\"");
        rejectsHeader("{" + tensor("w", "f32", "[1]", "[0,4]") + "}", new byte[4], "unknown dtype \"f32\"");
    }

    @Test
    void shapes() {
        rejectsHeader("{" + tensor("w", "F32", "[2,-1]", "[0,0]") + "}", new byte[0], "tensor \"w\" dimension 1 of \"shape\" is negative: the number -1");
        rejectsHeader("{" + tensor("w", "F32", "[2.0]", "[0,8]") + "}", new byte[8], "must be an integer", "2.0");
        rejectsHeader("{" + tensor("w", "F32", "[1e1]", "[0,40]") + "}", new byte[40], "must be an integer");
        rejectsHeader("{" + tensor("w", "F32", "[\"2\"]", "[0,8]") + "}", new byte[8], "must be a non-negative integer, found the string \"2\"");
        rejectsHeader("{" + tensor("w", "F32", "[4294967296]", "[0,0]") + "}", new byte[0], "larger than grad4j supports");
        rejectsHeader("{" + tensor("w", "F32", "[99999999999999999999999]", "[0,0]") + "}", new byte[0], "is too large");
        rejectsHeader("{" + tensor("w", "F64", "[2147483647,2147483647,2147483647]", "[0,0]") + "}", new byte[0], "too many elements");
    }

    @Test
    void offsetsMustMatchShapeAndDtype() {
        rejectsHeader("{" + tensor("w", "F32", "[2,3]", "[0,20]") + "}", new byte[20],
                "tensor \"w\" has dtype F32 and shape [2, 3], which need 24 bytes, but its data_offsets [0, 20] span 20");
        rejectsHeader("{" + tensor("w", "F32", "[1]", "[4,0]") + "}", new byte[4], "data_offsets [4, 0] end before they begin");
        rejectsHeader("{" + tensor("w", "F32", "[1]", "[0]") + "}", new byte[4], "\"data_offsets\" must be an array [begin, end], found an array of 1");
        rejectsHeader("{" + tensor("w", "F32", "[1]", "[-4,0]") + "}", new byte[4], "data_offsets begin is negative");
        rejectsHeader("{" + tensor("w", "F32", "[1]", "[0,9223372036854775808]") + "}", new byte[4], "data_offsets end is too large");
    }

    @Test
    void offsetsMustTileTheDataSection() {
        String w = tensor("w", "F32", "[2]", "[0,8]");
        rejectsHeader("{" + w + "," + tensor("b", "F32", "[2]", "[4,12]") + "}", new byte[12],
                "tensors \"w\" (data_offsets [0, 8]) and \"b\" (data_offsets [4, 12]) overlap");
        rejectsHeader("{" + w + "," + tensor("b", "F32", "[2]", "[0,8]") + "}", new byte[8], "overlap");
        rejectsHeader("{" + w + "," + tensor("b", "F32", "[1]", "[12,16]") + "}", new byte[16],
                "data bytes [8, 12) belong to no tensor (hole between tensors \"w\" and \"b\")");
        rejectsHeader("{" + tensor("b", "F32", "[1]", "[4,8]") + "}", new byte[8], "hole before the first tensor \"b\"");
        rejectsHeader("{" + w + "}", new byte[4], "tensor \"w\" data_offsets [0, 8] run past the end of the data section, which has 4 bytes");
        rejectsHeader("{" + w + "}", new byte[9], "the data section has 9 bytes but the tensors cover only 8");
        rejectsHeader("{}", new byte[1], "1 unexpected bytes");
    }

    @Test
    void zeroSizeTensorsMayShareAnOffset() throws Exception {
        String header = "{" + tensor("a", "F32", "[0]", "[4,4]") + "," + tensor("w", "F32", "[1]", "[0,4]") + ","
                + tensor("z", "F64", "[2,0]", "[4,4]") + "," + tensor("y", "F32", "[0]", "[0,0]") + "}";
        SafeTensorsFile file = SafeTensors.decode(Bytes.file(header, Bytes.create().f32(5f).toArray()));
        assertEquals(4, file.tensors().size());
        assertEquals(5f, file.tensors().get("w").toFloatArray()[0]);
    }

    @Test
    void metadataMustBeStrings() {
        rejectsHeader("{\"__metadata__\":{\"epoch\":3}}", new byte[0], "\"__metadata__\" value for key \"epoch\" must be a string, found the number 3");
        rejectsHeader("{\"__metadata__\":[\"a\"]}", new byte[0], "\"__metadata__\" must be an object of strings");
    }

    // ---- fuzzing: whatever the damage, the only failure is a SafeTensorsFormatException

    @Provide
    Arbitrary<int[]> damage() {
        int length = sample().length;
        return Arbitraries.integers().between(0, length * 256 - 1).array(int[].class).ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 3000)
    void corruptedBytesNeverLeakOtherExceptions(@ForAll("damage") int[] edits) {
        byte[] bytes = sample();
        for (int edit : edits) {
            bytes[edit / 256] = (byte) (edit % 256);
        }
        decodeOrFormatError(bytes);
    }

    @Property(tries = 1000)
    void corruptedHeaderTextNeverLeaksOtherExceptions(@ForAll @IntRange(min = 8, max = 60) int position,
                                                       @ForAll("jsonishChars") char replacement) {
        byte[] bytes = sample();
        bytes[position] = (byte) replacement;
        decodeOrFormatError(bytes);
    }

    @Provide
    Arbitrary<Character> jsonishChars() {
        return Arbitraries.of('{', '}', '[', ']', '"', ':', ',', '-', '0', '1', '9', '.', 'e', '\\', 'u', ' ', 'F', '\n');
    }

    private static void decodeOrFormatError(byte[] bytes) {
        try {
            SafeTensors.decode(bytes);
        } catch (SafeTensorsFormatException expected) {
            // fine
        } catch (RuntimeException e) {
            fail("decode leaked " + e, e);
        }
    }
}
