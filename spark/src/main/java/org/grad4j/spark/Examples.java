package org.grad4j.spark;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/** Turns Spark data into {@link Example}s: a Spark SQL table with numeric columns, or a CSV file. */
public final class Examples {
    private Examples() {
    }

    /**
     * One example per row: the feature columns (numeric) in the given order, and one label column (numeric).
     * Null values are rejected with the column's name.
     */
    public static JavaRDD<Example> fromDataset(Dataset<Row> data, String labelColumn, String... featureColumns) {
        if (featureColumns.length == 0) {
            throw new IllegalArgumentException("Examples.fromDataset: give at least one feature column (the table has "
                    + Arrays.toString(data.columns()) + ")");
        }
        java.util.List<String> known = Arrays.asList(data.columns());
        Column[] columns = new Column[featureColumns.length + 1];
        for (int i = 0; i <= featureColumns.length; i++) {
            String name = i < featureColumns.length ? featureColumns[i] : labelColumn;
            if (!known.contains(name)) {
                throw new IllegalArgumentException("Examples.fromDataset: no column '" + name + "'; the table has "
                        + known);
            }
            columns[i] = functions.col(name).cast("double");
        }
        String[] names = Arrays.copyOf(featureColumns, featureColumns.length + 1);
        names[featureColumns.length] = labelColumn;
        return data.select(columns).javaRDD().map(row -> {
            double[] x = new double[names.length - 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = value(row, i, names[i]);
            }
            return Example.of(x, value(row, x.length, names[x.length]));
        });
    }

    /**
     * Reads a CSV file (or a directory of them, on any file system Spark reads: local, HDFS, S3...) with a header
     * line; the label column is {@code labelColumn} and every other column is a feature.
     */
    public static JavaRDD<Example> fromCsv(SparkSession spark, String path, String labelColumn) {
        Dataset<Row> table = spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        String[] features = Arrays.stream(table.columns()).filter(c -> !c.equals(labelColumn)).toArray(String[]::new);
        return fromDataset(table, labelColumn, features);
    }

    private static double value(Row row, int i, String name) {
        if (row.isNullAt(i)) {
            throw new IllegalArgumentException("Examples: column '" + name + "' is null or not a number in row " + row);
        }
        return row.getDouble(i);
    }
}
