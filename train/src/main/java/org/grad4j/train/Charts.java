package org.grad4j.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Pictures of a training run, as PNG files: the training curves (loss, and the first metric such as accuracy, for
 * training and validation, per epoch; drawn with JFreeChart) and a confusion matrix (a grid of counts shaded by the
 * share of each true class). Works without a display: {@code java.awt.headless} is set to true unless it was set.
 * <pre>{@code
 * Charts.writeTrainingCurves(history, Path.of("target/plots/training-curves.png"));
 * Charts.writeConfusionMatrix(history.confusionMatrix().get(), Mnist.FASHION_CLASSES, Path.of("target/cm.png"));
 * }</pre>
 */
public final class Charts {
    private Charts() {
    }

    /** Size of each panel of the training curves. */
    public static final int PANEL_WIDTH = 600;
    /** Height of the training-curves image. */
    public static final int PANEL_HEIGHT = 400;

    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);

    /**
     * Writes the loss curves, and beside them the curves of the first other metric (accuracy, mae...) when there
     * is one: an image {@link #PANEL_WIDTH} wide per panel and {@link #PANEL_HEIGHT} high. Returns {@code file}.
     */
    public static Path writeTrainingCurves(History history, Path file) throws IOException {
        if (history.size() == 0) {
            throw new IllegalArgumentException("Charts.writeTrainingCurves: the history has no epochs");
        }
        headless();
        List<JFreeChart> panels = new ArrayList<>();
        panels.add(curves(history, "loss", "Loss"));
        for (String name : history.names()) {
            if (!name.equals("loss") && !name.equals("lr") && !name.startsWith("val_")) {
                panels.add(curves(history, name, name.substring(0, 1).toUpperCase() + name.substring(1)));
                break;
            }
        }
        BufferedImage image = new BufferedImage(PANEL_WIDTH * panels.size(), PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                panels.get(i).draw(g, new Rectangle2D.Double(i * PANEL_WIDTH, 0, PANEL_WIDTH, PANEL_HEIGHT));
            }
        } finally {
            g.dispose();
        }
        return write(image, file);
    }

    private static JFreeChart curves(History history, String name, String title) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries train = new XYSeries("training");
        XYSeries validation = new XYSeries("validation");
        for (History.Epoch e : history.epochs()) {
            double t = e.get(name);
            double v = e.get("val_" + name);
            if (Double.isFinite(t)) train.add(e.epoch(), t);
            if (Double.isFinite(v)) validation.add(e.epoch(), v);
        }
        data.addSeries(train);
        if (validation.getItemCount() > 0) data.addSeries(validation);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", name, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, history.size() <= 30);
        renderer.setSeriesPaint(0, TRAIN);
        renderer.setSeriesPaint(1, VALIDATION);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        return chart;
    }

    /** Size in pixels of one cell of the confusion-matrix image. */
    public static final int CELL = 56;

    /**
     * Writes the confusion matrix as a grid: rows the true classes, columns the predicted ones, each cell its count,
     * shaded by the share of its row. {@code classNames} may be null (classes are then numbered). The image is
     * {@code margin + classes * CELL} pixels square plus a title strip (see {@link #confusionMatrixSize}).
     */
    public static Path writeConfusionMatrix(ConfusionMatrix matrix, List<String> classNames, Path file)
            throws IOException {
        int n = matrix.classes();
        if (classNames != null && classNames.size() != n) {
            throw new IllegalArgumentException("Charts.writeConfusionMatrix: " + classNames.size() + " class names for"
                    + " " + n + " classes");
        }
        headless();
        int[] size = confusionMatrixSize(n);
        int margin = size[0] - n * CELL - 20;
        int top = size[1] - n * CELL - 20;
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size[0], size[1]);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(String.format("Confusion matrix (accuracy %.1f%%)", 100 * matrix.accuracy()), 10, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("predicted", margin + n * CELL / 2 - 25, top - 28);
            g.drawString("true", margin - 40, top - 8);
            long[][] counts = matrix.counts();
            FontMetrics fm = g.getFontMetrics();
            for (int r = 0; r < n; r++) {
                long rowTotal = 0;
                for (long c : counts[r]) rowTotal += c;
                String label = classNames == null ? Integer.toString(r) : classNames.get(r);
                g.setColor(Color.BLACK);
                g.drawString(label, margin - fm.stringWidth(label) - 6, top + r * CELL + CELL / 2 + 4);
                String columnLabel = classNames == null ? Integer.toString(r) : shorten(classNames.get(r));
                g.drawString(columnLabel, margin + r * CELL + (CELL - fm.stringWidth(columnLabel)) / 2, top - 8);
                for (int c = 0; c < n; c++) {
                    double share = rowTotal == 0 ? 0 : (double) counts[r][c] / rowTotal;
                    int shade = (int) Math.round(255 - 200 * share);
                    g.setColor(r == c ? new Color(shade, shade, 255) : new Color(255, shade, shade));
                    g.fillRect(margin + c * CELL, top + r * CELL, CELL, CELL);
                    g.setColor(new Color(200, 200, 200));
                    g.drawRect(margin + c * CELL, top + r * CELL, CELL, CELL);
                    g.setColor(share > 0.6 ? Color.WHITE : Color.BLACK);
                    String text = Long.toString(counts[r][c]);
                    g.drawString(text, margin + c * CELL + (CELL - fm.stringWidth(text)) / 2,
                            top + r * CELL + CELL / 2 + 4);
                }
            }
        } finally {
            g.dispose();
        }
        return write(image, file);
    }

    /** Width and height in pixels of the confusion-matrix image for {@code classes} classes. */
    public static int[] confusionMatrixSize(int classes) {
        int margin = 110;
        int top = 70;
        return new int[] {margin + classes * CELL + 20, top + classes * CELL + 20};
    }

    private static String shorten(String name) {
        return name.length() <= 7 ? name : name.substring(0, 6) + ".";
    }

    /** Writes atomically: to a temporary file beside {@code file}, then renamed. */
    private static Path write(BufferedImage image, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
        try {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return absolute;
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
