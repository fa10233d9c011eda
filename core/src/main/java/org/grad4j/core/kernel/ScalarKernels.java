package org.grad4j.core.kernel;

/**
 * Plain Java loops: the portable reference implementation of {@link Kernels}. Float math that has no float variant
 * in {@link Math} is computed in double and rounded once, which is at least as accurate as a float implementation.
 */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    static double apply(UnaryOp op, double x) {
        return switch (op) {
            case IDENTITY -> x;
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : (x == x ? 0.0 : x);
            case RECIPROCAL -> 1.0 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case ERF -> erf(x);
        };
    }

    /**
     * The error function to about 1e-14 relative: its Maclaurin series below |x| = 2.5 (where cancellation costs
     * at most 3 digits), and 1 - erfc(x) from erfc's continued fraction (Lentz's method) above; exactly +-1 beyond 6.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.copySign(1.0, x);
        }
        if (a < 2.5) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double contribution = term / (2 * n + 1);
                sum += contribution;
                if (Math.abs(contribution) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return 2.0 / Math.sqrt(Math.PI) * sum;
        }
        double tiny = 1e-300;
        double f = a;
        double c = a;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = a + an * d;
            d = d == 0 ? tiny : d;
            c = a + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1 - erfc, x);
    }

    /** Two branches so that exp never overflows: sigmoid(+-1000) is exactly 1 or 0, never NaN. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
        };
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, int xStride, float[] out, int outOff, int outStride, int n) {
        switch (op) {
            case IDENTITY -> {
                if (xStride == 1 && outStride == 1) {
                    System.arraycopy(x, xOff, out, outOff, n);
                } else {
                    for (int i = 0; i < n; i++) out[outOff + i * outStride] = x[xOff + i * xStride];
                }
            }
            case NEG -> {
                for (int i = 0; i < n; i++) out[outOff + i * outStride] = -x[xOff + i * xStride];
            }
            case ABS -> {
                for (int i = 0; i < n; i++) out[outOff + i * outStride] = Math.abs(x[xOff + i * xStride]);
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) out[outOff + i * outStride] = (float) Math.sqrt(x[xOff + i * xStride]);
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i * xStride];
                    out[outOff + i * outStride] = v > 0 ? v : (v == v ? 0f : v);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) out[outOff + i * outStride] = (float) apply(op, x[xOff + i * xStride]);
            }
        }
    }

    @Override
    public void unary(UnaryOp op, double[] x, int xOff, int xStride, double[] out, int outOff, int outStride,
                      int n) {
        if (op == UnaryOp.IDENTITY && xStride == 1 && outStride == 1) {
            System.arraycopy(x, xOff, out, outOff, n);
            return;
        }
        for (int i = 0; i < n; i++) out[outOff + i * outStride] = apply(op, x[xOff + i * xStride]);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int outStride, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = a[aOff + i * aStride] + b[bOff + i * bStride];
            }
            case SUB -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = a[aOff + i * aStride] - b[bOff + i * bStride];
            }
            case MUL -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = a[aOff + i * aStride] * b[bOff + i * bStride];
            }
            case DIV -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = a[aOff + i * aStride] / b[bOff + i * bStride];
            }
            default -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = (float) apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
            }
        }
    }

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                       double[] out, int outOff, int outStride, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = a[aOff + i * aStride] + b[bOff + i * bStride];
            }
            case MUL -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = a[aOff + i * aStride] * b[bOff + i * bStride];
            }
            default -> {
                for (int i = 0; i < n; i++)
                    out[outOff + i * outStride] = apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
            }
        }
    }

    @Override
    public void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
                      int bStride, float[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    @Override
    public void where(double[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b,
                      int bOff, int bStride, double[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    @Override
    public double sum(float[] x, int off, int stride, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i * stride];
        return s;
    }

    @Override
    public double sum(double[] x, int off, int stride, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i * stride];
        return s;
    }

    @Override
    public double max(float[] x, int off, int stride, int n) {
        double m = x[off];
        for (int i = 1; i < n; i++) m = Math.max(m, x[off + i * stride]);
        return m;
    }

    @Override
    public double max(double[] x, int off, int stride, int n) {
        double m = x[off];
        for (int i = 1; i < n; i++) m = Math.max(m, x[off + i * stride]);
        return m;
    }

    @Override
    public double min(float[] x, int off, int stride, int n) {
        double m = x[off];
        for (int i = 1; i < n; i++) m = Math.min(m, x[off + i * stride]);
        return m;
    }

    @Override
    public double min(double[] x, int off, int stride, int n) {
        double m = x[off];
        for (int i = 1; i < n; i++) m = Math.min(m, x[off + i * stride]);
        return m;
    }

    /*
     * Two loop orders, picked by B's layout: i-k-j streams contiguous rows of B and C; when B is a transposed
     * contiguous matrix (column stride != 1, row stride 1) each C element is a dot product of two contiguous rows.
     */
    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                     float[] b, int bOff, int bRs, int bCs, float[] c, int cOff) {
        if (bCs == 1 || bRs != 1) {
            java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * n;
                for (int p = 0; p < k; p++) {
                    float aip = a[aOff + i * aRs + p * aCs];
                    int bRow = bOff + p * bRs;
                    for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j * bCs];
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * aRs;
                for (int j = 0; j < n; j++) {
                    int bCol = bOff + j * bCs;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[aRow + p * aCs] * b[bCol + p];
                    c[cOff + i * n + j] = s;
                }
            }
        }
    }

    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs,
                     double[] b, int bOff, int bRs, int bCs, double[] c, int cOff) {
        if (bCs == 1 || bRs != 1) {
            java.util.Arrays.fill(c, cOff, cOff + m * n, 0.0);
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * n;
                for (int p = 0; p < k; p++) {
                    double aip = a[aOff + i * aRs + p * aCs];
                    int bRow = bOff + p * bRs;
                    for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j * bCs];
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * aRs;
                for (int j = 0; j < n; j++) {
                    int bCol = bOff + j * bCs;
                    double s = 0.0;
                    for (int p = 0; p < k; p++) s += a[aRow + p * aCs] * b[bCol + p];
                    c[cOff + i * n + j] = s;
                }
            }
        }
    }

    // ---- integer and bool kernels

    @Override
    public void unary(UnaryOp op, long[] x, int xOff, int xStride, long[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            long v = x[xOff + i * xStride];
            out[outOff + i * outStride] = switch (op) {
                case IDENTITY -> v;
                case NEG -> -v;
                case ABS -> v < 0 ? -v : v;
                case SIGN -> Long.signum(v);
                case RELU -> v > 0 ? v : 0;
                default -> throw new IllegalArgumentException(op + " is not an integer kernel");
            };
        }
    }

    @Override
    public void binary(BinaryOp op, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                       long[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            long x = a[aOff + i * aStride];
            long y = b[bOff + i * bStride];
            out[outOff + i * outStride] = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case MAX -> Math.max(x, y);
                case MIN -> Math.min(x, y);
                case POW -> powWrapping(x, y);
                default -> throw new IllegalArgumentException(op + " is not an integer kernel");
            };
        }
    }

    /** {@code base^exponent} for {@code exponent >= 0} by squaring, wrapping on overflow as C's int64 does. */
    static long powWrapping(long base, long exponent) {
        long result = 1;
        long b = base;
        for (long e = exponent; e > 0; e >>>= 1) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
        }
        return result;
    }

    private static boolean compare(BinaryOp op, double x, double y) {
        return switch (op) {
            case GT -> x > y;
            case GE -> x >= y;
            case LT -> x < y;
            case LE -> x <= y;
            case EQ -> x == y;
            case NE -> x != y;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    private static boolean compare(BinaryOp op, long x, long y) {
        return switch (op) {
            case GT -> x > y;
            case GE -> x >= y;
            case LT -> x < y;
            case LE -> x <= y;
            case EQ -> x == y;
            case NE -> x != y;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
    }

    @Override
    public void compare(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                        byte[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = compare(op, a[aOff + i * aStride], b[bOff + i * bStride]) ? (byte) 1 : 0;
        }
    }

    @Override
    public void compare(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                        byte[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = compare(op, a[aOff + i * aStride], b[bOff + i * bStride]) ? (byte) 1 : 0;
        }
    }

    @Override
    public void compare(BinaryOp op, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                        byte[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = compare(op, a[aOff + i * aStride], b[bOff + i * bStride]) ? (byte) 1 : 0;
        }
    }

    @Override
    public void where(byte[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
                      int bStride, float[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    @Override
    public void where(byte[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff,
                      int bStride, double[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    @Override
    public void where(byte[] cond, int cOff, int cStride, long[] a, int aOff, int aStride, long[] b, int bOff,
                      int bStride, long[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * outStride] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    @Override
    public long sum(long[] x, int off, int stride, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) s += x[off + i * stride];
        return s;
    }

    @Override
    public long max(long[] x, int off, int stride, int n) {
        long r = x[off];
        for (int i = 1; i < n; i++) r = Math.max(r, x[off + i * stride]);
        return r;
    }

    @Override
    public long min(long[] x, int off, int stride, int n) {
        long r = x[off];
        for (int i = 1; i < n; i++) r = Math.min(r, x[off + i * stride]);
        return r;
    }

    @Override
    public void copy(int[] x, int xOff, int xStride, int[] out, int outOff, int outStride, int n) {
        if (xStride == 1 && outStride == 1) {
            System.arraycopy(x, xOff, out, outOff, n);
            return;
        }
        for (int i = 0; i < n; i++) out[outOff + i * outStride] = x[xOff + i * xStride];
    }

    @Override
    public void copy(byte[] x, int xOff, int xStride, byte[] out, int outOff, int outStride, int n) {
        if (xStride == 1 && outStride == 1) {
            System.arraycopy(x, xOff, out, outOff, n);
            return;
        }
        for (int i = 0; i < n; i++) out[outOff + i * outStride] = x[xOff + i * xStride];
    }

    @Override
    public void floorDivide(boolean remainder, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                            long[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            long x = a[aOff + i * aStride];
            long y = b[bOff + i * bStride];
            out[outOff + i * outStride] = remainder ? Math.floorMod(x, y) : Math.floorDiv(x, y);
        }
    }

    @Override
    public void floorDivide(boolean remainder, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                            float[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            float x = a[aOff + i * aStride];
            float y = b[bOff + i * bStride];
            out[outOff + i * outStride] = remainder ? floatRemainder(x, y) : floatFloorDivide(x, y);
        }
    }

    @Override
    public void floorDivide(boolean remainder, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                            double[] out, int outOff, int outStride, int n) {
        for (int i = 0; i < n; i++) {
            double x = a[aOff + i * aStride];
            double y = b[bOff + i * bStride];
            out[outOff + i * outStride] = remainder ? floatRemainder(x, y) : floatFloorDivide(x, y);
        }
    }

    /** PyTorch's {@code div_floor_floating}: the quotient from {@code fmod}, so {@code a - q b} is exact-ish. */
    static double floatFloorDivide(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0, a / b);
        }
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1 : floor;
    }

    /** {@link #floatFloorDivide(double, double)} in float arithmetic, as PyTorch's float32 kernel. */
    static float floatFloorDivide(float a, float b) {
        if (b == 0) {
            return a / b;
        }
        float mod = a % b;
        float div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0f, a / b);
        }
        float floor = (float) Math.floor(div);
        return div - floor > 0.5f ? floor + 1 : floor;
    }

    static float floatRemainder(float a, float b) {
        float mod = a % b;
        return mod != 0 && (b < 0) != (mod < 0) ? mod + b : mod;
    }

    /** Python's {@code %} for floats: {@code fmod} moved to the divisor's sign. */
    static double floatRemainder(double a, double b) {
        double mod = a % b;
        return mod != 0 && (b < 0) != (mod < 0) ? mod + b : mod;
    }
}
