package org.grad4j.spark;

import java.io.Serializable;
import java.util.Iterator;

/** One partition's examples packed into two flat arrays (features and labels, row after row); cached by Spark. */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int rows;
    final int featureWidth;
    final int labelWidth;
    final double[] features;
    final double[] labels;

    private Shard(int rows, int featureWidth, int labelWidth, double[] features, double[] labels) {
        this.rows = rows;
        this.featureWidth = featureWidth;
        this.labelWidth = labelWidth;
        this.features = features;
        this.labels = labels;
    }

    /**
     * Packs a partition's examples in {@link Example#CONTENT_ORDER}; every example must have the same feature and
     * label widths.
     */
    static Shard pack(int partition, Iterator<Example> examples) {
        java.util.ArrayList<Example> list = new java.util.ArrayList<>();
        examples.forEachRemaining(list::add);
        list.sort(Example.CONTENT_ORDER);
        if (list.isEmpty()) {
            return new Shard(0, 0, 0, new double[0], new double[0]);
        }
        int d = list.get(0).features().length;
        int k = list.get(0).label().length;
        double[] x = new double[Math.multiplyExact(list.size(), d)];
        double[] y = new double[Math.multiplyExact(list.size(), k)];
        for (int i = 0; i < list.size(); i++) {
            Example e = list.get(i);
            if (e.features().length != d || e.label().length != k) {
                throw new IllegalArgumentException("DistributedTrainer: example " + i + " of partition " + partition
                        + " has " + e.features().length + " features and " + e.label().length
                        + " label values, but the partition's first example has " + d + " and " + k
                        + "; every example needs the same widths");
            }
            System.arraycopy(e.features(), 0, x, i * d, d);
            System.arraycopy(e.label(), 0, y, i * k, k);
        }
        return new Shard(list.size(), d, k, x, y);
    }

    /** The features of the given rows, row after row. */
    double[] gatherFeatures(int[] rowsWanted) {
        return gather(features, featureWidth, rowsWanted);
    }

    /** The labels of the given rows, row after row. */
    double[] gatherLabels(int[] rowsWanted) {
        return gather(labels, labelWidth, rowsWanted);
    }

    private static double[] gather(double[] source, int width, int[] rowsWanted) {
        double[] out = new double[rowsWanted.length * width];
        for (int i = 0; i < rowsWanted.length; i++) {
            System.arraycopy(source, rowsWanted[i] * width, out, i * width, width);
        }
        return out;
    }
}
