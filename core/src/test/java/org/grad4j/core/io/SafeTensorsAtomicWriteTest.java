package org.grad4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsAtomicWriteTest {

    @TempDir
    Path dir;

    private static Map<String, TensorData> tensors(float value) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("first", TensorData.ofFloats(new float[] {value, value}, 2));
        tensors.put("second", TensorData.ofDoubles(new double[] {value}, 1));
        return tensors;
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void replacesAnExistingFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors(1), Map.of("v", "1"));
        SafeTensors.write(file, tensors(2), Map.of("v", "2"));

        SafeTensorsFile back = SafeTensors.read(file);
        assertEquals(tensors(2), back.tensors());
        assertEquals(Map.of("v", "2"), back.metadata());
        assertEquals(List.of(file), listDir(), "no temporary files left behind");
    }

    @Test
    void failureMidWriteKeepsTheOldFileAndRemovesTheTemporary() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors(1), null);
        byte[] before = Files.readAllBytes(file);

        IOException boom = new IOException("disk full (simulated)");
        IOException thrown = assertThrows(IOException.class, () -> SafeTensors.write(file, tensors(2), null, name -> {
            if (name.equals("first")) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void uncheckedFailureMidWriteAlsoCleansUp() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors(1), null);
        byte[] before = Files.readAllBytes(file);

        assertThrows(IllegalStateException.class, () -> SafeTensors.write(file, tensors(2), null, name -> {
            throw new IllegalStateException("bug in a tensor source");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void failureWithNoExistingFileLeavesNothing() {
        Path file = dir.resolve("new.safetensors");
        assertThrows(IOException.class, () -> SafeTensors.write(file, tensors(1), null, name -> {
            throw new IOException("simulated");
        }));
        assertEquals(false, Files.exists(file));
    }

    @Test
    void invalidArgumentsFailBeforeTouchingTheDisk() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors(1), null);
        byte[] before = Files.readAllBytes(file);

        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", TensorData.ofFloats(new float[] {1})), null));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void failedRenameRemovesTheTemporary() throws Exception {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "keep");

        assertThrows(IOException.class, () -> SafeTensors.write(target, tensors(1), null));
        assertEquals(List.of(target), listDir());
        assertEquals("keep", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void missingDirectoryIsAPlainIOException() {
        Path file = dir.resolve("no/such/dir/model.safetensors");
        assertThrows(NoSuchFileException.class, () -> SafeTensors.write(file, tensors(1), null));
    }

    @Test
    void writtenFileGetsTheUsualPermissionsNotOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors(1), null);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void readingAMissingFileIsNotAFormatError() {
        assertThrows(NoSuchFileException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));
    }
}
