package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Csv}'s label column chosen by index at both ends (and one past each), negative indices counted from the
 * end, and quoting at the end of a line (a closing quote as the last character, an escaped quote just before it).
 */
class CsvEdgesTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("t" + System.nanoTime() + ".csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void labelColumnByIndexFromEitherEnd() throws IOException {
        Path f = file("a,b,c\n1,2,3\n4,5,6\n");
        for (int[] indexAndColumn : new int[][] {{0, 0}, {2, 2}, {-1, 2}, {-3, 0}, {1, 1}, {-2, 1}}) {
            Csv.Table t = Csv.reader().labelColumn(indexAndColumn[0]).read(f);
            String name = List.of("a", "b", "c").get(indexAndColumn[1]);
            assertEquals(name, t.labelName(), "index " + indexAndColumn[0]);
            assertArrayEquals(new double[] {1 + indexAndColumn[1], 4 + indexAndColumn[1]}, t.labels().toDoubleArray(),
                    1e-6);
            assertEquals(2, t.featureNames().size());
        }
        for (int bad : new int[] {3, -4, 100}) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> Csv.reader().labelColumn(bad).read(f));
            assertTrue(e.getMessage().contains("label column " + bad + " does not exist: the file has 3 columns"),
                    e.getMessage());
        }
        assertEquals("b", Csv.reader().labelColumn("c").labelColumn(1).read(f).labelName(),
                "the later choice wins");
        assertEquals("c", Csv.reader().labelColumn(0).labelColumn("c").read(f).labelName());
    }

    @Test
    void quotesAtTheEndOfALine() throws IOException {
        Path f = file("x,\"label\"\n1,\"cat\"\n2,\"say \"\"hi\"\"\"\n3,\"cat\"\n");
        Csv.Table t = Csv.reader().read(f);
        assertEquals("label", t.labelName());
        assertEquals(List.of("cat", "say \"hi\""), t.classes());
        assertArrayEquals(new double[] {0, 1, 0}, t.labels().toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3}, t.features().toDoubleArray(), 1e-6);
        Path open = file("x,y\n1,\"2\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Csv.reader().read(open));
        assertTrue(e.getMessage().contains("line 2 has an unclosed quote"), e.getMessage());
        Path endsInEscape = file("x,y\n1,\"2\"\"\n");
        assertTrue(assertThrows(DataFormatException.class, () -> Csv.reader().read(endsInEscape)).getMessage()
                .contains("unclosed quote"), "an escaped quote does not close the cell");
    }

    @Test
    void delimiterAndHeaderlessFiles() throws IOException {
        Path f = file("1;2;3\n4;5;6\n");
        Csv.Table t = Csv.reader().header(false).delimiter(';').labelColumn(0).read(f);
        assertEquals("column 0", t.labelName());
        assertEquals(List.of("column 1", "column 2"), t.featureNames());
        assertArrayEquals(new double[] {2, 3, 5, 6}, t.features().toDoubleArray(), 1e-6);
    }
}
