package org.grad4j.core.kernel;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.SplittableRandom;

/**
 * Not a test: writes random inputs of float64 pow's table path (|y| <= 32) and grad4j's results, one
 * {@code x y result} line each (hex doubles), for pow_table_path_ulps.py (beside elementary_reference.py) to measure
 * the errors in ulps with mpmath; the README's figure for that path comes from the two. A quarter each: bases over
 * every piece of the log table in 121 binades, bases within 10^-16..0.3 of 1, y log x between 600 and 708 in
 * magnitude (results near the overflow and underflow thresholds), bases in [0, 50) with |y| <= 3. Run from the
 * repository root after {@code mvn -q test-compile -pl core}:
 * {@code java -cp core/target/classes:core/target/test-classes org.grad4j.core.kernel.PowTablePathSweep 200000 1 /tmp/pow.txt}
 * then {@code python3 core/src/test/resources/org/grad4j/core/kernel/pow_table_path_ulps.py /tmp/pow.txt}
 * (arguments: the count, the seed, the output file).
 */
final class PowTablePathSweep {
    private PowTablePathSweep() {
    }

    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        SplittableRandom rng = new SplittableRandom(Long.parseLong(args[1]));
        try (PrintWriter out = new PrintWriter(args[2], java.nio.charset.StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                double x;
                double y;
                switch (rng.nextInt(4)) {
                    case 0 -> {
                        x = rng.nextDouble(0.7, 1.42) * Math.scalb(1.0, rng.nextInt(-60, 61));
                        y = rng.nextDouble(-32, 32);
                    }
                    case 1 -> {
                        x = 1 + (rng.nextBoolean() ? 1 : -1) * Math.pow(10, rng.nextDouble(-16, -0.5));
                        y = rng.nextDouble(-32, 32);
                    }
                    case 2 -> {
                        y = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(1, 32);
                        x = Math.exp((rng.nextBoolean() ? 1 : -1) * rng.nextDouble(600, 707.9) / y);
                    }
                    default -> {
                        x = rng.nextDouble(0, 50);
                        y = rng.nextDouble(-3, 3);
                    }
                }
                out.println(Double.toHexString(x) + " " + Double.toHexString(y) + " "
                        + Double.toHexString(ScalarKernels.pow(x, y)));
            }
        }
    }
}
