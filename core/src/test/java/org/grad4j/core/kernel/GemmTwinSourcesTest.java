package org.grad4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code VectorGemmD} is the double twin of {@code VectorGemmF} (Java has no generics over primitives): with the
 * comments removed, the double source must be exactly the float source with its types and float literals
 * substituted, so a fix made to one and forgotten in the other fails here. Reads the sources from the module
 * directory, where Maven runs the tests.
 */
class GemmTwinSourcesTest {
    private static final Path SOURCES = Path.of("src/main/java/org/grad4j/core/kernel");

    @Test
    void doubleGemmIsTheFloatGemmWithTypesSubstituted() throws Exception {
        Path floatSource = SOURCES.resolve("VectorGemmF.java");
        assertTrue(Files.exists(floatSource), "run from the core module directory: " + floatSource.toAbsolutePath());
        List<String> expected = code(Files.readString(floatSource)
                .replace("FloatVector", "DoubleVector")
                .replace("VectorGemmF", "VectorGemmD")
                .replace("float", "double")
                .replace("Float", "Double")
                .replaceAll("\\b0f\\b", "0.0"));
        List<String> actual = code(Files.readString(SOURCES.resolve("VectorGemmD.java")));
        assertTrue(actual.size() > 200, "read the source: " + actual.size() + " lines");
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "code line " + (i + 1) + " (comments removed) differs");
        }
        assertEquals(expected.size(), actual.size(), "number of code lines");
    }

    /** The code lines: block comments, line comments and blank lines removed, whitespace trimmed. */
    private static List<String> code(String source) {
        String withoutBlocks = source.replaceAll("(?s)/\\*.*?\\*/", "");
        return withoutBlocks.lines()
                .map(line -> line.replaceAll("//.*$", "").strip())
                .filter(line -> !line.isEmpty())
                .toList();
    }
}
