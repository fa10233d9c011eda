package org.grad4j.examples;

/**
 * The README's demo: the notes' worked example step by step, then the same ideas at work on real data.
 * Run: {@code mvn -q compile exec:exec -pl examples -am}
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("######## Part 1: the worked example (2-2-1 sigmoid network, one step by hand and by autograd)");
        WorkedExample.main(args);
        System.out.println();
        System.out.println("######## Part 2: a digits classifier (mini-batches, shuffling, splits, normalisation,"
                + " early stopping)");
        DigitsClassifier.main(args);
    }
}
