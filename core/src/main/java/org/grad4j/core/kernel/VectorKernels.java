package org.grad4j.core.kernel;

import static jdk.incubator.vector.VectorOperators.F2D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on the incubating Vector API ({@code jdk.incubator.vector}), for the preferred species of the
 * machine (16 floats / 8 doubles with AVX-512). Only {@link KernelProvider} creates it, reflectively, and only when
 * the module is in the boot layer, so nothing links against incubator types when it is absent.
 *
 * <p>Layout of every element-wise method: unit-stride (or, for binary ops and where, broadcast stride-0) operands
 * run through a vector loop; any other stride, and the ops without a lanewise form (POW except x^2, ERF), go to
 * {@link ScalarKernels}. The remainder after the last full vector runs scalar when the op is IEEE-exact (add, mul,
 * max, compare, where, sqrt, relu...: the bits are identical either way); for transcendental ops it is copied into a
 * padded buffer and run through the <em>same</em> lanes, so within contiguous data a value's result never depends on
 * its position or on the run's length. (Strided runs use the scalar functions, which may differ by about an ulp.)
 *
 * <p>Why one small method per op (negF, expF, addF...) behind a switch, rather than one loop taking a
 * {@code VectorOperators} argument or one method holding every loop: the Vector API only becomes SIMD instructions
 * when C2 sees the operator as a constant and inlines the whole call chain. A shared helper that is not inlined sees
 * a variable operator, and a method holding many loops exhausts C2's inlining budget for the cases compiled last;
 * either falls back to a per-lane Java path no faster than the scalar loop (measured: float LOG took 5 us instead
 * of 0.14 us per 1024 elements, depending on which ops had run first). A small method per op is compiled on its own
 * with its operator fixed, whatever the JIT decides about the caller.
 */
final class VectorKernels implements Kernels {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    static final int FL = FS.length();
    static final int DL = DS.length();
    /** Floats of half the preferred width: one load converts to exactly one vector of doubles. */
    private static final VectorSpecies<Float> FH =
            VectorSpecies.of(float.class, VectorShape.forBitSize(DS.vectorBitSize() / 2));

    private static final ScalarKernels SCALAR = ScalarKernels.INSTANCE;

    /** Throws if SIMD would not pay: fewer than 4 float lanes (e.g. a 64-bit preferred shape). */
    VectorKernels() {
        if (FL < 4) {
            throw new UnsupportedOperationException("the preferred vector species has only " + FL
                    + " float lanes (" + FS.vectorBitSize() + " bits); at least 4 are needed to beat scalar code");
        }
    }

    @Override
    public String name() {
        return "vector(" + FS.vectorBitSize() + "-bit, " + FL + " floats)";
    }

    /** The species in words, for {@link KernelProvider#description()}. */
    static String shape() {
        return FS.vectorBitSize() + "-bit vectors: " + FL + " float / " + DL + " double lanes";
    }

    // ============================================================================================ unary

    @Override
    public void unary(UnaryOp op, float[] x, int xOff, int xStride, float[] out, int outOff, int outStride, int n) {
        if (xStride != 1 || outStride != 1 || op == UnaryOp.ERF || op == UnaryOp.IDENTITY || n == 0
                || (n < FL && exact(op))) {
            // IDENTITY: arraycopy is optimal; ERF: no lanewise form; short exact runs: same bits, no set-up
            SCALAR.unary(op, x, xOff, xStride, out, outOff, outStride, n);
            return;
        }
        int full = n - n % FL;
        unaryLoop(op, x, xOff, out, outOff, full);
        if (full < n) {
            int rest = n - full;
            if (exact(op)) {
                SCALAR.unary(op, x, xOff + full, 1, out, outOff + full, 1, rest);   // bit-identical to the lanes
            } else {
                // Same lanes on a padded copy: a transcendental's result must not depend on the element's position.
                float[] tx = new float[FL];
                float[] to = new float[FL];
                System.arraycopy(x, xOff + full, tx, 0, rest);
                unaryLoop(op, tx, 0, to, 0, FL);
                System.arraycopy(to, 0, out, outOff + full, rest);
            }
        }
    }

    /** {@code len} is a multiple of the lane count. One method per op: see the class comment. */
    private static void unaryLoop(UnaryOp op, float[] x, int xo, float[] out, int oo, int len) {
        switch (op) {
            case NEG -> negF(x, xo, out, oo, len);
            case ABS -> absF(x, xo, out, oo, len);
            case SQRT -> sqrtF(x, xo, out, oo, len);
            case EXP -> expF(x, xo, out, oo, len);
            case LOG -> logF(x, xo, out, oo, len);
            case LOG1P -> log1pF(x, xo, out, oo, len);
            case EXPM1 -> expm1F(x, xo, out, oo, len);
            case TANH -> tanhF(x, xo, out, oo, len);
            case SIN -> sinF(x, xo, out, oo, len);
            case COS -> cosF(x, xo, out, oo, len);
            case RECIPROCAL -> reciprocalF(x, xo, out, oo, len);
            case SIGN -> signF(x, xo, out, oo, len);
            case RELU -> reluF(x, xo, out, oo, len);
            case SIGMOID -> sigmoidF(x, xo, out, oo, len);
            default -> throw new AssertionError(op);   // IDENTITY and ERF never get here
        }
    }

    private static void negF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).neg().intoArray(out, oo + i);
        }
    }

    private static void absF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).abs().intoArray(out, oo + i);
        }
    }

    private static void sqrtF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).sqrt().intoArray(out, oo + i);
        }
    }

    private static void expF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i);
        }
    }

    private static void logF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i);
        }
    }

    private static void log1pF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.LOG1P).intoArray(out, oo + i);
        }
    }

    private static void expm1F(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.EXPM1).intoArray(out, oo + i);
        }
    }

    private static void tanhF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i);
        }
    }

    private static void sinF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.SIN).intoArray(out, oo + i);
        }
    }

    private static void cosF(float[] x, int xo, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL) {
            FloatVector.fromArray(FS, x, xo + i).lanewise(VectorOperators.COS).intoArray(out, oo + i);
        }
    }

    private static void reciprocalF(float[] x, int xo, float[] out, int oo, int len) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL) {
            one.div(FloatVector.fromArray(FS, x, xo + i)).intoArray(out, oo + i);
        }
    }

    private static void signF(float[] x, int xo, float[] out, int oo, int len) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        FloatVector minusOne = FloatVector.broadcast(FS, -1f);
        for (int i = 0; i < len; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xo + i);
            // +-0 and NaN keep themselves, as Math.signum.
            v.blend(one, v.compare(VectorOperators.GT, 0f)).blend(minusOne, v.compare(VectorOperators.LT, 0f))
                    .intoArray(out, oo + i);
        }
    }

    private static void reluF(float[] x, int xo, float[] out, int oo, int len) {
        FloatVector zero = FloatVector.zero(FS);
        for (int i = 0; i < len; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xo + i);
            // Keeps v where v > 0 or v is NaN; -0.0 becomes +0.0, as the scalar rule.
            zero.blend(v, v.compare(VectorOperators.GT, 0f).or(v.compare(VectorOperators.NE, v)))
                    .intoArray(out, oo + i);
        }
    }

    private static void sigmoidF(float[] x, int xo, float[] out, int oo, int len) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xo + i);
            // exp(-|x|) <= 1 never overflows: 1/(1+e) for x >= 0, e/(1+e) below; NaN stays NaN.
            FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            e.blend(one, v.compare(VectorOperators.GE, 0f)).div(e.add(one)).intoArray(out, oo + i);
        }
    }


    @Override
    public void unary(UnaryOp op, double[] x, int xOff, int xStride, double[] out, int outOff, int outStride, int n) {
        if (xStride != 1 || outStride != 1 || op == UnaryOp.ERF || op == UnaryOp.IDENTITY || n == 0
                || (n < DL && exact(op))) {
            // IDENTITY: arraycopy is optimal; ERF: no lanewise form; short exact runs: same bits, no set-up
            SCALAR.unary(op, x, xOff, xStride, out, outOff, outStride, n);
            return;
        }
        int full = n - n % DL;
        unaryLoop(op, x, xOff, out, outOff, full);
        if (full < n) {
            int rest = n - full;
            if (exact(op)) {
                SCALAR.unary(op, x, xOff + full, 1, out, outOff + full, 1, rest);   // bit-identical to the lanes
            } else {
                // Same lanes on a padded copy: a transcendental's result must not depend on the element's position.
                double[] tx = new double[DL];
                double[] to = new double[DL];
                System.arraycopy(x, xOff + full, tx, 0, rest);
                unaryLoop(op, tx, 0, to, 0, DL);
                System.arraycopy(to, 0, out, outOff + full, rest);
            }
        }
    }

    /** {@code len} is a multiple of the lane count. One method per op: see the class comment. */
    private static void unaryLoop(UnaryOp op, double[] x, int xo, double[] out, int oo, int len) {
        switch (op) {
            case NEG -> negD(x, xo, out, oo, len);
            case ABS -> absD(x, xo, out, oo, len);
            case SQRT -> sqrtD(x, xo, out, oo, len);
            case EXP -> expD(x, xo, out, oo, len);
            case LOG -> logD(x, xo, out, oo, len);
            case LOG1P -> log1pD(x, xo, out, oo, len);
            case EXPM1 -> expm1D(x, xo, out, oo, len);
            case TANH -> tanhD(x, xo, out, oo, len);
            case SIN -> sinD(x, xo, out, oo, len);
            case COS -> cosD(x, xo, out, oo, len);
            case RECIPROCAL -> reciprocalD(x, xo, out, oo, len);
            case SIGN -> signD(x, xo, out, oo, len);
            case RELU -> reluD(x, xo, out, oo, len);
            case SIGMOID -> sigmoidD(x, xo, out, oo, len);
            default -> throw new AssertionError(op);   // IDENTITY and ERF never get here
        }
    }

    private static void negD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).neg().intoArray(out, oo + i);
        }
    }

    private static void absD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).abs().intoArray(out, oo + i);
        }
    }

    private static void sqrtD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).sqrt().intoArray(out, oo + i);
        }
    }

    private static void expD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.EXP).intoArray(out, oo + i);
        }
    }

    private static void logD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i);
        }
    }

    private static void log1pD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.LOG1P).intoArray(out, oo + i);
        }
    }

    private static void expm1D(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.EXPM1).intoArray(out, oo + i);
        }
    }

    private static void tanhD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i);
        }
    }

    private static void sinD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.SIN).intoArray(out, oo + i);
        }
    }

    private static void cosD(double[] x, int xo, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL) {
            DoubleVector.fromArray(DS, x, xo + i).lanewise(VectorOperators.COS).intoArray(out, oo + i);
        }
    }

    private static void reciprocalD(double[] x, int xo, double[] out, int oo, int len) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL) {
            one.div(DoubleVector.fromArray(DS, x, xo + i)).intoArray(out, oo + i);
        }
    }

    private static void signD(double[] x, int xo, double[] out, int oo, int len) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        DoubleVector minusOne = DoubleVector.broadcast(DS, -1.0);
        for (int i = 0; i < len; i += DL) {
            DoubleVector v = DoubleVector.fromArray(DS, x, xo + i);
            // +-0 and NaN keep themselves, as Math.signum.
            v.blend(one, v.compare(VectorOperators.GT, 0.0)).blend(minusOne, v.compare(VectorOperators.LT, 0.0))
                    .intoArray(out, oo + i);
        }
    }

    private static void reluD(double[] x, int xo, double[] out, int oo, int len) {
        DoubleVector zero = DoubleVector.zero(DS);
        for (int i = 0; i < len; i += DL) {
            DoubleVector v = DoubleVector.fromArray(DS, x, xo + i);
            // Keeps v where v > 0 or v is NaN; -0.0 becomes +0.0, as the scalar rule.
            zero.blend(v, v.compare(VectorOperators.GT, 0.0).or(v.compare(VectorOperators.NE, v)))
                    .intoArray(out, oo + i);
        }
    }

    private static void sigmoidD(double[] x, int xo, double[] out, int oo, int len) {
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL) {
            DoubleVector v = DoubleVector.fromArray(DS, x, xo + i);
            // exp(-|x|) <= 1 never overflows: 1/(1+e) for x >= 0, e/(1+e) below; NaN stays NaN.
            DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            e.blend(one, v.compare(VectorOperators.GE, 0.0)).div(e.add(one)).intoArray(out, oo + i);
        }
    }


    // ============================================================================================ binary

    /** Ops whose SIMD lanes are bit-identical to the scalar loop (IEEE-exact), so any tail may run scalar. */
    private static boolean exact(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQRT, RECIPROCAL, SIGN, RELU, IDENTITY -> true;
            default -> false;
        };
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int outStride, int n) {
        if (op == BinaryOp.POW && bStride == 0 && n > 0 && b[bOff] == 2) {
            op = BinaryOp.MUL;   // x^2 is the common case (squared errors); Math.pow(x, 2) is exactly x * x
            b = a;
            bOff = aOff;
            bStride = aStride;
        }
        if (outStride != 1 || (aStride | 1) != 1 || (bStride | 1) != 1 || op == BinaryOp.POW || n < FL) {
            SCALAR.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
            return;
        }
        // A broadcast operand is read from a one-vector buffer with step 0, so one loop serves (1,1), (1,0), (0,1).
        float[] av = aStride == 0 ? filled(a[aOff]) : a;
        float[] bv = bStride == 0 ? filled(b[bOff]) : b;
        int full = n - n % FL;
        binaryLoop(op, av, aStride == 0 ? 0 : aOff, aStride * FL, bv, bStride == 0 ? 0 : bOff, bStride * FL,
                out, outOff, full);
        if (full < n) {
            // Every lanewise binary op is exact (IEEE +-*/, Math.max/min semantics, comparisons), so the scalar
            // loop gives the remainder bit-identical results without a padded copy.
            SCALAR.binary(op, a, aOff + full * aStride, aStride, b, bOff + full * bStride, bStride, out,
                    outOff + full, 1, n - full);
        }
    }

    private static float[] filled(float v) {
        float[] t = new float[FL];
        java.util.Arrays.fill(t, v);
        return t;
    }

    /** {@code len} is a multiple of the lane count; a step is the lane count, or 0 for a broadcast buffer. */
    private static void binaryLoop(BinaryOp op, float[] a, int ai, int aStep, float[] b, int bi, int bStep,
                                   float[] out, int oo, int len) {
        switch (op) {
            case ADD -> addF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case SUB -> subF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case MUL -> mulF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case DIV -> divF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case MAX -> maxF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case MIN -> minF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case GT -> gtF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case GE -> geF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case LT -> ltF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case LE -> leF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case EQ -> eqF(a, ai, aStep, b, bi, bStep, out, oo, len);
            case NE -> neF(a, ai, aStep, b, bi, bStep, out, oo, len);
            default -> throw new AssertionError(op);   // POW never gets here
        }
    }

    private static void addF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            va.add(vb).intoArray(out, oo + i);
        }
    }

    private static void subF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            va.sub(vb).intoArray(out, oo + i);
        }
    }

    private static void mulF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            va.mul(vb).intoArray(out, oo + i);
        }
    }

    private static void divF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            va.div(vb).intoArray(out, oo + i);
        }
    }

    private static void maxF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        // lanewise MAX/MIN follow Math.max/min: NaN wins, +0.0 is above -0.0
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            va.lanewise(VectorOperators.MAX, vb).intoArray(out, oo + i);
        }
    }

    private static void minF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            va.lanewise(VectorOperators.MIN, vb).intoArray(out, oo + i);
        }
    }

    private static void gtF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            zero.blend(one, va.compare(VectorOperators.GT, vb)).intoArray(out, oo + i);
        }
    }

    private static void geF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            zero.blend(one, va.compare(VectorOperators.GE, vb)).intoArray(out, oo + i);
        }
    }

    private static void ltF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            zero.blend(one, va.compare(VectorOperators.LT, vb)).intoArray(out, oo + i);
        }
    }

    private static void leF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            zero.blend(one, va.compare(VectorOperators.LE, vb)).intoArray(out, oo + i);
        }
    }

    private static void eqF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            zero.blend(one, va.compare(VectorOperators.EQ, vb)).intoArray(out, oo + i);
        }
    }

    private static void neF(float[] a, int ai, int aStep, float[] b, int bi, int bStep, float[] out, int oo,
                             int len) {
        // NE holds when either side is NaN, as Java's !=
        FloatVector zero = FloatVector.zero(FS);
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < len; i += FL, ai += aStep, bi += bStep) {
            FloatVector va = FloatVector.fromArray(FS, a, ai);
            FloatVector vb = FloatVector.fromArray(FS, b, bi);
            zero.blend(one, va.compare(VectorOperators.NE, vb)).intoArray(out, oo + i);
        }
    }

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                       double[] out, int outOff, int outStride, int n) {
        if (op == BinaryOp.POW && bStride == 0 && n > 0 && b[bOff] == 2) {
            op = BinaryOp.MUL;   // x^2 is the common case (squared errors); Math.pow(x, 2) is exactly x * x
            b = a;
            bOff = aOff;
            bStride = aStride;
        }
        if (outStride != 1 || (aStride | 1) != 1 || (bStride | 1) != 1 || op == BinaryOp.POW || n < DL) {
            SCALAR.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
            return;
        }
        // A broadcast operand is read from a one-vector buffer with step 0, so one loop serves (1,1), (1,0), (0,1).
        double[] av = aStride == 0 ? filled(a[aOff]) : a;
        double[] bv = bStride == 0 ? filled(b[bOff]) : b;
        int full = n - n % DL;
        binaryLoop(op, av, aStride == 0 ? 0 : aOff, aStride * DL, bv, bStride == 0 ? 0 : bOff, bStride * DL,
                out, outOff, full);
        if (full < n) {
            // Every lanewise binary op is exact (IEEE +-*/, Math.max/min semantics, comparisons), so the scalar
            // loop gives the remainder bit-identical results without a padded copy.
            SCALAR.binary(op, a, aOff + full * aStride, aStride, b, bOff + full * bStride, bStride, out,
                    outOff + full, 1, n - full);
        }
    }

    private static double[] filled(double v) {
        double[] t = new double[DL];
        java.util.Arrays.fill(t, v);
        return t;
    }

    /** {@code len} is a multiple of the lane count; a step is the lane count, or 0 for a broadcast buffer. */
    private static void binaryLoop(BinaryOp op, double[] a, int ai, int aStep, double[] b, int bi, int bStep,
                                   double[] out, int oo, int len) {
        switch (op) {
            case ADD -> addD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case SUB -> subD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case MUL -> mulD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case DIV -> divD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case MAX -> maxD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case MIN -> minD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case GT -> gtD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case GE -> geD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case LT -> ltD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case LE -> leD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case EQ -> eqD(a, ai, aStep, b, bi, bStep, out, oo, len);
            case NE -> neD(a, ai, aStep, b, bi, bStep, out, oo, len);
            default -> throw new AssertionError(op);   // POW never gets here
        }
    }

    private static void addD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            va.add(vb).intoArray(out, oo + i);
        }
    }

    private static void subD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            va.sub(vb).intoArray(out, oo + i);
        }
    }

    private static void mulD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            va.mul(vb).intoArray(out, oo + i);
        }
    }

    private static void divD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            va.div(vb).intoArray(out, oo + i);
        }
    }

    private static void maxD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        // lanewise MAX/MIN follow Math.max/min: NaN wins, +0.0 is above -0.0
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            va.lanewise(VectorOperators.MAX, vb).intoArray(out, oo + i);
        }
    }

    private static void minD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            va.lanewise(VectorOperators.MIN, vb).intoArray(out, oo + i);
        }
    }

    private static void gtD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            zero.blend(one, va.compare(VectorOperators.GT, vb)).intoArray(out, oo + i);
        }
    }

    private static void geD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            zero.blend(one, va.compare(VectorOperators.GE, vb)).intoArray(out, oo + i);
        }
    }

    private static void ltD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            zero.blend(one, va.compare(VectorOperators.LT, vb)).intoArray(out, oo + i);
        }
    }

    private static void leD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            zero.blend(one, va.compare(VectorOperators.LE, vb)).intoArray(out, oo + i);
        }
    }

    private static void eqD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            zero.blend(one, va.compare(VectorOperators.EQ, vb)).intoArray(out, oo + i);
        }
    }

    private static void neD(double[] a, int ai, int aStep, double[] b, int bi, int bStep, double[] out, int oo,
                             int len) {
        // NE holds when either side is NaN, as Java's !=
        DoubleVector zero = DoubleVector.zero(DS);
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (int i = 0; i < len; i += DL, ai += aStep, bi += bStep) {
            DoubleVector va = DoubleVector.fromArray(DS, a, ai);
            DoubleVector vb = DoubleVector.fromArray(DS, b, bi);
            zero.blend(one, va.compare(VectorOperators.NE, vb)).intoArray(out, oo + i);
        }
    }

    // ============================================================================================ where

    @Override
    public void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
                      int bStride, float[] out, int outOff, int outStride, int n) {
        if (outStride != 1 || (cStride | 1) != 1 || (aStride | 1) != 1 || (bStride | 1) != 1 || n < FL) {
            SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
            return;
        }
        float[] cv = cStride == 0 ? filled(cond[cOff]) : cond;
        float[] av = aStride == 0 ? filled(a[aOff]) : a;
        float[] bv = bStride == 0 ? filled(b[bOff]) : b;
        int cStep = cStride * FL;
        int aStep = aStride * FL;
        int bStep = bStride * FL;
        int full = n - n % FL;
        whereLoop(cv, cStride == 0 ? 0 : cOff, cStep, av, aStride == 0 ? 0 : aOff, aStep,
                bv, bStride == 0 ? 0 : bOff, bStep, out, outOff, full);
        if (full < n) {
            // A selection is exact, so the scalar loop finishes the remainder bit-identically.
            SCALAR.where(cond, cOff + full * cStride, cStride, a, aOff + full * aStride, aStride, b,
                    bOff + full * bStride, bStride, out, outOff + full, 1, n - full);
        }
    }

    private static void whereLoop(float[] c, int ci, int cStep, float[] a, int ai, int aStep, float[] b, int bi,
                                  int bStep, float[] out, int oo, int len) {
        for (int i = 0; i < len; i += FL, ci += cStep, ai += aStep, bi += bStep) {
            // NaN != 0 holds, so a NaN condition selects a, as the scalar rule.
            VectorMask<Float> take = FloatVector.fromArray(FS, c, ci).compare(VectorOperators.NE, 0f);
            FloatVector.fromArray(FS, b, bi).blend(FloatVector.fromArray(FS, a, ai), take).intoArray(out, oo + i);
        }
    }

    @Override
    public void where(double[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b,
                      int bOff, int bStride, double[] out, int outOff, int outStride, int n) {
        if (outStride != 1 || (cStride | 1) != 1 || (aStride | 1) != 1 || (bStride | 1) != 1 || n < DL) {
            SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
            return;
        }
        double[] cv = cStride == 0 ? filled(cond[cOff]) : cond;
        double[] av = aStride == 0 ? filled(a[aOff]) : a;
        double[] bv = bStride == 0 ? filled(b[bOff]) : b;
        int cStep = cStride * DL;
        int aStep = aStride * DL;
        int bStep = bStride * DL;
        int full = n - n % DL;
        whereLoop(cv, cStride == 0 ? 0 : cOff, cStep, av, aStride == 0 ? 0 : aOff, aStep,
                bv, bStride == 0 ? 0 : bOff, bStep, out, outOff, full);
        if (full < n) {
            // A selection is exact, so the scalar loop finishes the remainder bit-identically.
            SCALAR.where(cond, cOff + full * cStride, cStride, a, aOff + full * aStride, aStride, b,
                    bOff + full * bStride, bStride, out, outOff + full, 1, n - full);
        }
    }

    private static void whereLoop(double[] c, int ci, int cStep, double[] a, int ai, int aStep, double[] b, int bi,
                                  int bStep, double[] out, int oo, int len) {
        for (int i = 0; i < len; i += DL, ci += cStep, ai += aStep, bi += bStep) {
            VectorMask<Double> take = DoubleVector.fromArray(DS, c, ci).compare(VectorOperators.NE, 0.0);
            DoubleVector.fromArray(DS, b, bi).blend(DoubleVector.fromArray(DS, a, ai), take).intoArray(out, oo + i);
        }
    }

    // ============================================================================================ reductions

    /** Four vector accumulators: an add has ~3-4 cycles latency, so one accumulator would run at 1/4 speed. */
    @Override
    public double sum(float[] x, int off, int stride, int n) {
        if (stride != 1) {
            return SCALAR.sum(x, off, stride, n);
        }
        // Floats are widened to double before adding, as the contract says: (float) partial sums of 1e5 values
        // would lose the 1e-5 relative accuracy that tests (and users) expect.
        int step = 4 * DL;
        DoubleVector s0 = DoubleVector.zero(DS);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i <= n - step; i += step) {
            s0 = s0.add((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(F2D, DS, 0));
            s1 = s1.add((DoubleVector) FloatVector.fromArray(FH, x, off + i + DL).convertShape(F2D, DS, 0));
            s2 = s2.add((DoubleVector) FloatVector.fromArray(FH, x, off + i + 2 * DL).convertShape(F2D, DS, 0));
            s3 = s3.add((DoubleVector) FloatVector.fromArray(FH, x, off + i + 3 * DL).convertShape(F2D, DS, 0));
        }
        for (; i <= n - DL; i += DL) {
            s0 = s0.add((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(F2D, DS, 0));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    @Override
    public double sum(double[] x, int off, int stride, int n) {
        if (stride != 1) {
            return SCALAR.sum(x, off, stride, n);
        }
        int step = 4 * DL;
        DoubleVector s0 = DoubleVector.zero(DS);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int i = 0;
        for (; i <= n - step; i += step) {
            s0 = s0.add(DoubleVector.fromArray(DS, x, off + i));
            s1 = s1.add(DoubleVector.fromArray(DS, x, off + i + DL));
            s2 = s2.add(DoubleVector.fromArray(DS, x, off + i + 2 * DL));
            s3 = s3.add(DoubleVector.fromArray(DS, x, off + i + 3 * DL));
        }
        for (; i <= n - DL; i += DL) {
            s0 = s0.add(DoubleVector.fromArray(DS, x, off + i));
        }
        double s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /*
     * max/min: lanewise MAX/MIN have Math.max/min semantics (NaN propagates, +0.0 beats -0.0), and those are
     * commutative and associative, so the vector order gives exactly the scalar result. Runs shorter than the four
     * accumulators' 4 vectors go to the scalar loop (same result, no set-up).
     */
    @Override
    public double max(float[] x, int off, int stride, int n) {
        return stride == 1 && n >= 4 * FL ? extremum(x, off, n, VectorOperators.MAX)
                : SCALAR.max(x, off, stride, n);
    }

    @Override
    public double min(float[] x, int off, int stride, int n) {
        return stride == 1 && n >= 4 * FL ? extremum(x, off, n, VectorOperators.MIN)
                : SCALAR.min(x, off, stride, n);
    }

    @Override
    public double max(double[] x, int off, int stride, int n) {
        return stride == 1 && n >= 4 * DL ? extremum(x, off, n, VectorOperators.MAX)
                : SCALAR.max(x, off, stride, n);
    }

    @Override
    public double min(double[] x, int off, int stride, int n) {
        return stride == 1 && n >= 4 * DL ? extremum(x, off, n, VectorOperators.MIN)
                : SCALAR.min(x, off, stride, n);
    }

    /** Small and called with a constant {@code op} from one-line methods, so it is inlined with op folded. */
    private static double extremum(float[] x, int off, int n, VectorOperators.Associative op) {
        boolean max = op == VectorOperators.MAX;
        int step = 4 * FL;
        int i = 0;
        float r = x[off];
        if (n >= step) {
            FloatVector m0 = FloatVector.fromArray(FS, x, off);
            FloatVector m1 = FloatVector.fromArray(FS, x, off + FL);
            FloatVector m2 = FloatVector.fromArray(FS, x, off + 2 * FL);
            FloatVector m3 = FloatVector.fromArray(FS, x, off + 3 * FL);
            for (i = step; i <= n - step; i += step) {
                if (max) {
                    m0 = m0.max(FloatVector.fromArray(FS, x, off + i));
                    m1 = m1.max(FloatVector.fromArray(FS, x, off + i + FL));
                    m2 = m2.max(FloatVector.fromArray(FS, x, off + i + 2 * FL));
                    m3 = m3.max(FloatVector.fromArray(FS, x, off + i + 3 * FL));
                } else {
                    m0 = m0.min(FloatVector.fromArray(FS, x, off + i));
                    m1 = m1.min(FloatVector.fromArray(FS, x, off + i + FL));
                    m2 = m2.min(FloatVector.fromArray(FS, x, off + i + 2 * FL));
                    m3 = m3.min(FloatVector.fromArray(FS, x, off + i + 3 * FL));
                }
            }
            r = max ? m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX)
                    : m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) r = max ? Math.max(r, x[off + i]) : Math.min(r, x[off + i]);
        return r;
    }

    private static double extremum(double[] x, int off, int n, VectorOperators.Associative op) {
        boolean max = op == VectorOperators.MAX;
        int step = 4 * DL;
        int i = 0;
        double r = x[off];
        if (n >= step) {
            DoubleVector m0 = DoubleVector.fromArray(DS, x, off);
            DoubleVector m1 = DoubleVector.fromArray(DS, x, off + DL);
            DoubleVector m2 = DoubleVector.fromArray(DS, x, off + 2 * DL);
            DoubleVector m3 = DoubleVector.fromArray(DS, x, off + 3 * DL);
            for (i = step; i <= n - step; i += step) {
                if (max) {
                    m0 = m0.max(DoubleVector.fromArray(DS, x, off + i));
                    m1 = m1.max(DoubleVector.fromArray(DS, x, off + i + DL));
                    m2 = m2.max(DoubleVector.fromArray(DS, x, off + i + 2 * DL));
                    m3 = m3.max(DoubleVector.fromArray(DS, x, off + i + 3 * DL));
                } else {
                    m0 = m0.min(DoubleVector.fromArray(DS, x, off + i));
                    m1 = m1.min(DoubleVector.fromArray(DS, x, off + i + DL));
                    m2 = m2.min(DoubleVector.fromArray(DS, x, off + i + 2 * DL));
                    m3 = m3.min(DoubleVector.fromArray(DS, x, off + i + 3 * DL));
                }
            }
            r = max ? m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX)
                    : m0.min(m1).min(m2.min(m3)).reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) r = max ? Math.max(r, x[off + i]) : Math.min(r, x[off + i]);
        return r;
    }

    // ============================================================================================ GEMM

    @Override
    public void gemm(int m, int n, int k, float[] a, int aOff, int aRowStride, int aColStride,
                     float[] b, int bOff, int bRowStride, int bColStride, float[] c, int cOff) {
        VectorGemmF.gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff);
    }

    @Override
    public void gemm(int m, int n, int k, double[] a, int aOff, int aRowStride, int aColStride,
                     double[] b, int bOff, int bRowStride, int bColStride, double[] c, int cOff) {
        VectorGemmD.gemm(m, n, k, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff);
    }

    // ---- integer and bool kernels
    // Delegated to the scalar twin for now: integer kernels are right first; SIMD versions come with the templates.

    @Override
    public void unary(UnaryOp op, long[] x, int xOff, int xStride, long[] out, int outOff, int outStride, int n) {
        SCALAR.unary(op, x, xOff, xStride, out, outOff, outStride, n);
    }

    @Override
    public void binary(BinaryOp op, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                       long[] out, int outOff, int outStride, int n) {
        SCALAR.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void compare(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                        byte[] out, int outOff, int outStride, int n) {
        SCALAR.compare(op, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void compare(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                        byte[] out, int outOff, int outStride, int n) {
        SCALAR.compare(op, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void compare(BinaryOp op, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                        byte[] out, int outOff, int outStride, int n) {
        SCALAR.compare(op, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void where(byte[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
                      int bStride, float[] out, int outOff, int outStride, int n) {
        SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void where(byte[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff,
                      int bStride, double[] out, int outOff, int outStride, int n) {
        SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void where(byte[] cond, int cOff, int cStride, long[] a, int aOff, int aStride, long[] b, int bOff,
                      int bStride, long[] out, int outOff, int outStride, int n) {
        SCALAR.where(cond, cOff, cStride, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public long sum(long[] x, int off, int stride, int n) {
        return SCALAR.sum(x, off, stride, n);
    }

    @Override
    public long max(long[] x, int off, int stride, int n) {
        return SCALAR.max(x, off, stride, n);
    }

    @Override
    public long min(long[] x, int off, int stride, int n) {
        return SCALAR.min(x, off, stride, n);
    }

    @Override
    public void copy(int[] x, int xOff, int xStride, int[] out, int outOff, int outStride, int n) {
        SCALAR.copy(x, xOff, xStride, out, outOff, outStride, n);
    }

    @Override
    public void copy(byte[] x, int xOff, int xStride, byte[] out, int outOff, int outStride, int n) {
        SCALAR.copy(x, xOff, xStride, out, outOff, outStride, n);
    }

    @Override
    public void floorDivide(boolean remainder, long[] a, int aOff, int aStride, long[] b, int bOff, int bStride,
                            long[] out, int outOff, int outStride, int n) {
        SCALAR.floorDivide(remainder, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void floorDivide(boolean remainder, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                            float[] out, int outOff, int outStride, int n) {
        SCALAR.floorDivide(remainder, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }

    @Override
    public void floorDivide(boolean remainder, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                            double[] out, int outOff, int outStride, int n) {
        SCALAR.floorDivide(remainder, a, aOff, aStride, b, bOff, bStride, out, outOff, outStride, n);
    }
}
