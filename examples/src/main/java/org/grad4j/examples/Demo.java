package org.grad4j.examples;

import java.nio.file.Path;

/**
 * The README's demo: the notes' worked example step by step, then the same ideas at work on real data.
 * <pre>
 * mvn -q compile exec:exec -pl examples -am                          # worked example + digits
 * mvn -q compile exec:exec -pl examples -am -Dgrad4j.demo=fashion    # Fashion-MNIST MLP (needs the files)
 * </pre>
 * {@code -Dgrad4j.demo} (or the first program argument) chooses: {@code digits} (default), {@code fashion} (the
 * MLP; {@code fashion-<model>} for another model of {@link FashionMnistExample#model}); {@code -Dgrad4j.data}
 * (or the second argument) is the Fashion-MNIST directory.
 */
public final class Demo {
    private Demo() {
    }

    /** Runs the demo chosen by {@code grad4j.demo} or {@code args[0]}. */
    public static void main(String[] commandLine) throws Exception {
        String[] args = CommandLine.words(commandLine);
        String demo = args.length > 0 ? args[0] : blankToNull(System.getProperty("grad4j.demo"));
        String data = args.length > 1 ? args[1] : blankToNull(System.getProperty("grad4j.data"));
        if (demo == null || demo.equals("digits")) {
            System.out.println("######## Part 1: the worked example (2-2-1 sigmoid network, one step by hand and by"
                    + " autograd)");
            WorkedExample.main(new String[0]);
            System.out.println();
            System.out.println("######## Part 2: a digits classifier (mini-batches, shuffling, splits, normalisation,"
                    + " early stopping)");
            DigitsClassifier.main(new String[0]);
        } else if (demo.equals("fashion") || demo.startsWith("fashion-")) {
            String model = demo.equals("fashion") ? "mlp" : demo.substring("fashion-".length());
            FashionMnistExample.run(model, data == null ? FashionMnistExample.DEFAULT_DIRECTORY : Path.of(data));
        } else {
            throw new IllegalArgumentException("unknown demo '" + demo + "': use digits, fashion or fashion-<model>");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
