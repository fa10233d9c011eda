package org.grad4j.core.kernel;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Not a test: measures the float32 functions' maximum error in ulps against grad4j's float64 ones (whose own error,
 * at most 2 float64 ulps, is negligible at float precision) over every {@code step}-th float bit pattern, all
 * exponents and both signs; the README's "every 61st float" column comes from it. Run from the repository root after
 * {@code mvn -q test-compile -pl core}:
 * {@code java -cp core/target/classes:core/target/test-classes org.grad4j.core.kernel.Float32UlpSweep 61}
 * (arguments: the step, default 61, then optionally the functions, default all).
 */
final class Float32UlpSweep {
    private Float32UlpSweep() {
    }

    private interface FloatFunction {
        float apply(float x);
    }

    public static void main(String[] args) {
        int step = args.length > 0 ? Integer.parseInt(args[0]) : 61;
        String[] names = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"exp", "expm1", "log", "log1p", "tanh", "sigmoid", "erf", "sin", "cos"};
        for (String name : names) {
            FloatFunction f;
            DoubleUnaryOperator reference;
            switch (name) {
                case "exp" -> { f = ScalarKernels::expF; reference = ScalarKernels::exp; }
                case "expm1" -> { f = ScalarKernels::expm1F; reference = ScalarKernels::expm1; }
                case "log" -> { f = ScalarKernels::logF; reference = ScalarKernels::log; }
                case "log1p" -> { f = ScalarKernels::log1pF; reference = ScalarKernels::log1p; }
                case "tanh" -> { f = ScalarKernels::tanhF; reference = ScalarKernels::tanh; }
                case "sigmoid" -> { f = ScalarKernels::sigmoidF; reference = ScalarKernels::sigmoid; }
                case "erf" -> { f = ScalarKernels::erfF; reference = ScalarKernels::erf; }
                case "sin" -> { f = ScalarKernels::sinF; reference = ScalarKernels::sin; }
                case "cos" -> { f = ScalarKernels::cosF; reference = ScalarKernels::cos; }
                default -> throw new IllegalArgumentException("unknown function " + name);
            }
            double worst = 0;
            float worstAt = 0;
            long specialMismatches = 0;
            for (long bits = 0; bits <= 0xffffffffL; bits += step) {
                float x = Float.intBitsToFloat((int) bits);
                float got = f.apply(x);
                double exact = reference.applyAsDouble(x);
                float rounded = (float) exact;
                if (Float.isNaN(rounded) || Float.isInfinite(rounded)) {
                    if (Float.floatToIntBits(rounded) != Float.floatToIntBits(got)) {
                        specialMismatches++;
                    }
                    continue;
                }
                double ulp = Math.abs(exact) < Float.MIN_NORMAL ? Float.MIN_VALUE : Math.ulp(rounded);
                double err = Math.abs(got - exact) / ulp;
                if (!(err <= worst)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    worstAt = x;
                }
            }
            System.out.printf(Locale.ROOT, "%-8s max %.3f ulp at x = %s (%s); NaN/Inf mismatches: %d%n", name, worst,
                    worstAt, Float.toHexString(worstAt), specialMismatches);
        }
    }
}
