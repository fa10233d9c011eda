package org.grad4j.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.grad4j.core.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Path file = dir.resolve("data.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void textLabelsBecomeSortedClassIds() throws IOException {
        Csv.Table t = Csv.reader().labelColumn("species").read(csv("""
                sepal,species,petal
                5.1,setosa,1.4
                7.0,versicolor,4.7

                6.3,"virginica",6.0
                4.9,setosa,1.5
                """));
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classes());
        assertEquals(List.of("sepal", "petal"), t.featureNames());
        assertEquals("species", t.labelName());
        assertArrayEquals(new int[] {4, 2}, t.features().shape());
        assertArrayEquals(new float[] {5.1f, 1.4f, 7.0f, 4.7f, 6.3f, 6.0f, 4.9f, 1.5f}, t.features().toFloatArray());
        assertEquals(DType.INT64, t.labels().dtype());
        assertArrayEquals(new long[] {0, 1, 2, 0}, t.labels().toLongArray());
        assertEquals(4, t.dataset().size());
    }

    @Test
    void numericLabelsStayNumbersAndHeaderlessFilesWork() throws IOException {
        Csv.Table t = Csv.reader().header(false).delimiter(';').read(csv("1;2;7\n3;4;-1.5\n"));
        assertTrue(t.classes().isEmpty());
        assertEquals(DType.FLOAT32, t.labels().dtype());
        assertArrayEquals(new float[] {7, -1.5f}, t.labels().toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.features().toFloatArray());
    }

    @Test
    void missingValueNamesLineAndColumn() throws IOException {
        Path file = csv("a,b,label\n1,2,x\n3,,y\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> Csv.reader().read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3, column 'b' (index 1): missing value"), e.getMessage());
    }

    @Test
    void textInAFeatureColumnAndRaggedRowsAreErrors() throws IOException {
        DataFormatException text = assertThrows(DataFormatException.class,
                () -> Csv.reader().read(csv("a,b,label\n1,two,x\n")));
        assertTrue(text.getMessage().contains("line 2, column 'b' (index 1): 'two' is not a number"),
                text.getMessage());
        DataFormatException ragged = assertThrows(DataFormatException.class,
                () -> Csv.reader().read(csv("a,b,label\n1,2,x\n1,2\n")));
        assertTrue(ragged.getMessage().contains("line 3 has 2 cells, the header has 3"), ragged.getMessage());
        DataFormatException noColumn = assertThrows(DataFormatException.class,
                () -> Csv.reader().labelColumn("kind").read(csv("a,b\n1,2\n")));
        assertTrue(noColumn.getMessage().contains("no column named 'kind'"), noColumn.getMessage());
        assertThrows(DataFormatException.class, () -> Csv.reader().read(csv("a,b\n")));
    }
}
