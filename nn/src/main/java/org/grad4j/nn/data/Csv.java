package org.grad4j.nn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.grad4j.core.Tensor;

/**
 * Reads a table of numbers with one label column from a CSV file (plain or gzipped), for tabular data sets such
 * as Iris or the UCI digits:
 * <pre>{@code
 * Csv.Table iris = Csv.reader().labelColumn("species").read(Path.of("iris.csv"));
 * iris.classes();             // [setosa, versicolor, virginica]: labels are their indices 0, 1, 2
 * TensorDataset data = iris.dataset();   // features [150, 4] float32, labels [150] int64
 * }</pre>
 * The first line is a header unless {@link Reader#header(boolean) header(false)}. Every other column must be
 * numeric. Labels that are all numbers are kept as numbers; otherwise each distinct label becomes a class id, in
 * sorted order ({@link Table#classes()}). A missing value (an empty cell), a cell that is not a number or a row
 * with the wrong number of cells fails with a {@link DataFormatException} naming the line and the column. Fields
 * may be quoted with {@code "} (a doubled {@code ""} inside is one quote).
 */
public final class Csv {
    private Csv() {
    }

    /** A reader with the defaults: header on, comma-separated, the last column is the label. */
    public static Reader reader() {
        return new Reader();
    }

    /** Options of a CSV read; see {@link Csv}. */
    public static final class Reader {
        private boolean header = true;
        private char delimiter = ',';
        private String labelName;
        private int labelIndex = -1;

        private Reader() {
        }

        /** Whether the first line names the columns (default true). */
        public Reader header(boolean header) {
            this.header = header;
            return this;
        }

        /** The field separator (default {@code ,}). */
        public Reader delimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /** The label column by its header name. */
        public Reader labelColumn(String name) {
            Args.notNull(name, "Csv.labelColumn", "name");
            this.labelName = name;
            this.labelIndex = -1;
            return this;
        }

        /** The label column by its index from 0; negative counts from the end (default -1, the last). */
        public Reader labelColumn(int index) {
            this.labelIndex = index;
            this.labelName = null;
            return this;
        }

        /** Reads the whole file; nothing is returned when any cell is bad. */
        public Table read(Path file) throws IOException {
            Args.notNull(file, "Csv.read", "file");
            List<String[]> rows = new ArrayList<>();
            List<Integer> lineNumbers = new ArrayList<>();
            String[] names = null;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Idx.open(file),
                    StandardCharsets.UTF_8))) {
                int lineNumber = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNumber++;
                    if (line.isBlank()) continue;
                    String[] cells = split(file, line, lineNumber);
                    if (header && names == null) {
                        names = cells;
                        continue;
                    }
                    if (names == null) {
                        names = new String[cells.length];
                        for (int c = 0; c < cells.length; c++) names[c] = "column " + c;
                    }
                    if (cells.length != names.length) {
                        throw new DataFormatException(file, "line " + lineNumber + " has " + cells.length
                                + " cells, the " + (header ? "header has " : "first row has ") + names.length);
                    }
                    rows.add(cells);
                    lineNumbers.add(lineNumber);
                }
            }
            if (names == null || rows.isEmpty()) {
                throw new DataFormatException(file, "no data rows");
            }
            int label = labelIndex(file, names);
            int columns = names.length;
            int featureCount = columns - 1;
            float[] features = new float[rows.size() * featureCount];
            boolean numericLabels = true;
            for (int r = 0; r < rows.size() && numericLabels; r++) {
                numericLabels = parses(rows.get(r)[label].trim());
            }
            TreeMap<String, Integer> classIds = new TreeMap<>();
            if (!numericLabels) {
                for (int r = 0; r < rows.size(); r++) {
                    String value = rows.get(r)[label].trim();
                    if (value.isEmpty()) throw missing(file, lineNumbers.get(r), names, label);
                    classIds.put(value, 0);
                }
                int id = 0;
                for (var e : classIds.entrySet()) e.setValue(id++);
            }
            float[] labels = new float[rows.size()];
            long[] classLabels = new long[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                String[] cells = rows.get(r);
                int line = lineNumbers.get(r);
                int f = 0;
                for (int c = 0; c < columns; c++) {
                    String value = cells[c].trim();
                    if (value.isEmpty()) throw missing(file, line, names, c);
                    if (c == label) {
                        if (numericLabels) {
                            labels[r] = Float.parseFloat(value);
                        } else {
                            classLabels[r] = classIds.get(value);
                        }
                        continue;
                    }
                    try {
                        features[r * featureCount + f++] = Float.parseFloat(value);
                    } catch (NumberFormatException e) {
                        throw new DataFormatException(file, "line " + line + ", column " + describe(names, c)
                                + ": '" + value + "' is not a number (only the label column may hold text)");
                    }
                }
            }
            List<String> featureNames = new ArrayList<>();
            for (int c = 0; c < columns; c++) if (c != label) featureNames.add(names[c]);
            Tensor labelTensor = numericLabels ? Tensor.of(labels, rows.size()) : Tensor.of(classLabels, rows.size());
            return new Table(Tensor.of(features, rows.size(), featureCount), labelTensor,
                    List.copyOf(featureNames), names[label], List.copyOf(classIds.keySet()));
        }

        private int labelIndex(Path file, String[] names) throws DataFormatException {
            if (labelName != null) {
                for (int c = 0; c < names.length; c++) {
                    if (names[c].trim().equals(labelName)) return c;
                }
                throw new DataFormatException(file, "no column named '" + labelName + "'; the columns are "
                        + String.join(", ", names));
            }
            int index = labelIndex < 0 ? names.length + labelIndex : labelIndex;
            if (index < 0 || index >= names.length) {
                throw new DataFormatException(file, "label column " + labelIndex + " does not exist: the file has "
                        + names.length + " columns");
            }
            return index;
        }

        private String[] split(Path file, String line, int lineNumber) throws DataFormatException {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == delimiter) {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(ch);
                }
            }
            if (quoted) {
                throw new DataFormatException(file, "line " + lineNumber + " has an unclosed quote");
            }
            cells.add(cell.toString());
            return cells.toArray(new String[0]);
        }
    }

    private static boolean parses(String value) {
        try {
            Float.parseFloat(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static DataFormatException missing(Path file, int line, String[] names, int column) {
        return new DataFormatException(file, "line " + line + ", column " + describe(names, column)
                + ": missing value (fill or drop the row before loading)");
    }

    private static String describe(String[] names, int column) {
        return "'" + names[column].trim() + "' (index " + column + ")";
    }

    /**
     * A CSV file read into tensors.
     *
     * @param features {@code [rows, columns - 1]} float32, every column but the label, in file order
     * @param labels {@code [rows]}: float32 numbers, or int64 class ids indexing {@code classes}
     * @param featureNames the header names of the feature columns
     * @param labelName the header name of the label column
     * @param classes the distinct text labels in id order; empty when the labels were numbers
     */
    public record Table(Tensor features, Tensor labels, List<String> featureNames, String labelName,
            List<String> classes) {
        /** Features and labels as one dataset. */
        public TensorDataset dataset() {
            return new TensorDataset(features, labels);
        }
    }
}
