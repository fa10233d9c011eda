package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Element-wise functions and reductions through the Tensor API on one million elements (no autograd), the
 * transcendental kernels' cost per element = time / 10^6. Beside each of grad4j's own (bit-reproducible) functions,
 * {@code api*} runs the Vector API's own {@code lanewise(VectorOperators.EXP...)} over the same array into a new one
 * (sigmoid as 1 / (1 + exp(-x)); the Vector API has no erf; pow as x^1.5 on both sides), so one run gives both
 * sides. Run:
 * {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="UnaryOpBenchmark -f 1 -wi 3 -i 5"}
 *
 * <p>{@link #main} compares the two sides by the CPU time of the measuring thread, interleaved (own, API, own,
 * API...), median per element: usable while the machine is shared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnaryOpBenchmark {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    @Param({"float32", "float64"})
    public String dtype;

    /** Elements per tensor. */
    @Param({"1000000"})
    public int size;

    private Tensor x;
    private Tensor positive;
    /** Exponents for pow by a tensor: 3 x (x standard normal), nearly all within grad4j's table path (|y| <= 32). */
    private Tensor exponents;
    private Tensor logits;
    private float[] xf;
    private float[] positiveF;
    private double[] xd;
    private double[] positiveD;
    private float[] exponentsF;
    private double[] exponentsD;

    @Setup
    public void setUp() {
        DType type = "float64".equals(dtype) ? DType.FLOAT64 : DType.FLOAT32;
        x = Tensor.randn(1, size).to(type);
        positive = x.abs().add(1e-3);
        exponents = x.mul(3.0);   // mul(double), not mul(long): so that it links against older cores (before-after.sh)
        logits = Tensor.randn(2, 1000, 1000).to(type);
        xd = x.to(DType.FLOAT64).toDoubleArray();
        positiveD = positive.to(DType.FLOAT64).toDoubleArray();
        exponentsD = exponents.to(DType.FLOAT64).toDoubleArray();
        exponentsF = new float[xd.length];
        xf = new float[xd.length];
        positiveF = new float[xd.length];
        for (int i = 0; i < xd.length; i++) {
            xf[i] = (float) xd[i];
            positiveF[i] = (float) positiveD[i];
            exponentsF[i] = (float) exponentsD[i];
        }
    }

    private boolean isFloat() {
        return !"float64".equals(dtype);
    }

    @Benchmark
    public Tensor exp() {
        return x.exp();
    }

    @Benchmark
    public Object apiExp() {
        return isFloat() ? expF(xf) : expD(xd);
    }

    @Benchmark
    public Tensor expm1() {
        return x.expm1();
    }

    @Benchmark
    public Object apiExpm1() {
        return isFloat() ? expm1F(xf) : expm1D(xd);
    }

    @Benchmark
    public Tensor log() {
        return positive.log();
    }

    @Benchmark
    public Object apiLog() {
        return isFloat() ? logF(positiveF) : logD(positiveD);
    }

    @Benchmark
    public Tensor log1p() {
        return positive.log1p();
    }

    @Benchmark
    public Object apiLog1p() {
        return isFloat() ? log1pF(positiveF) : log1pD(positiveD);
    }

    @Benchmark
    public Tensor tanh() {
        return x.tanh();
    }

    @Benchmark
    public Object apiTanh() {
        return isFloat() ? tanhF(xf) : tanhD(xd);
    }

    @Benchmark
    public Tensor sigmoid() {
        return x.sigmoid();
    }

    @Benchmark
    public Object apiSigmoid() {
        return isFloat() ? sigmoidF(xf) : sigmoidD(xd);
    }

    @Benchmark
    public Tensor sin() {
        return x.sin();
    }

    @Benchmark
    public Object apiSin() {
        return isFloat() ? sinF(xf) : sinD(xd);
    }

    @Benchmark
    public Tensor cos() {
        return x.cos();
    }

    @Benchmark
    public Object apiCos() {
        return isFloat() ? cosF(xf) : cosD(xd);
    }

    @Benchmark
    public Tensor erf() {
        return x.erf();
    }

    @Benchmark
    public Tensor powHalf() {
        return positive.pow(1.5);
    }

    @Benchmark
    public Object apiPowHalf() {
        return isFloat() ? powF(positiveF, 1.5f) : powD(positiveD, 1.5);
    }

    /** pow by a tensor of exponents (element-wise). */
    @Benchmark
    public Tensor powTensor() {
        return positive.pow(exponents);
    }

    @Benchmark
    public Object apiPowTensor() {
        return isFloat() ? powF(positiveF, exponentsF) : powD(positiveD, exponentsD);
    }

    @Benchmark
    public Tensor sum() {
        return x.sum();
    }

    @Benchmark
    public Tensor softmaxRows() {
        return logits.softmax(1);
    }

    // ---- the Vector API's functions: one method per operator, so that C2 sees it as a constant (sizes are taken as
    // multiples of every lane count, so there is no tail)

    private static float[] expF(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.EXP).intoArray(out, i);
        }
        return out;
    }

    private static double[] expD(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.EXP).intoArray(out, i);
        }
        return out;
    }

    private static float[] expm1F(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.EXPM1).intoArray(out, i);
        }
        return out;
    }

    private static double[] expm1D(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.EXPM1).intoArray(out, i);
        }
        return out;
    }

    private static float[] logF(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.LOG).intoArray(out, i);
        }
        return out;
    }

    private static double[] logD(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.LOG).intoArray(out, i);
        }
        return out;
    }

    private static float[] log1pF(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.LOG1P).intoArray(out, i);
        }
        return out;
    }

    private static double[] log1pD(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.LOG1P).intoArray(out, i);
        }
        return out;
    }

    private static float[] tanhF(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        return out;
    }

    private static double[] tanhD(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        return out;
    }

    private static float[] sigmoidF(float[] x) {
        float[] out = new float[x.length];
        FloatVector one = FloatVector.broadcast(FS, 1f);
        for (int i = 0; i < x.length; i += FS.length()) {
            one.div(FloatVector.fromArray(FS, x, i).neg().lanewise(VectorOperators.EXP).add(one)).intoArray(out, i);
        }
        return out;
    }

    private static double[] sigmoidD(double[] x) {
        double[] out = new double[x.length];
        DoubleVector one = DoubleVector.broadcast(DS, 1);
        for (int i = 0; i < x.length; i += DS.length()) {
            one.div(DoubleVector.fromArray(DS, x, i).neg().lanewise(VectorOperators.EXP).add(one)).intoArray(out, i);
        }
        return out;
    }

    private static float[] sinF(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.SIN).intoArray(out, i);
        }
        return out;
    }

    private static double[] sinD(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.SIN).intoArray(out, i);
        }
        return out;
    }

    private static float[] cosF(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.COS).intoArray(out, i);
        }
        return out;
    }

    private static double[] cosD(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.COS).intoArray(out, i);
        }
        return out;
    }

    private static float[] powF(float[] x, float y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.POW, y).intoArray(out, i);
        }
        return out;
    }

    private static double[] powD(double[] x, double y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.POW, y).intoArray(out, i);
        }
        return out;
    }

    private static float[] powF(float[] x, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += FS.length()) {
            FloatVector.fromArray(FS, x, i).lanewise(VectorOperators.POW, FloatVector.fromArray(FS, y, i))
                    .intoArray(out, i);
        }
        return out;
    }

    private static double[] powD(double[] x, double[] y) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector.fromArray(DS, x, i).lanewise(VectorOperators.POW, DoubleVector.fromArray(DS, y, i))
                    .intoArray(out, i);
        }
        return out;
    }

    /** The functions {@link #main} compares with a Vector API loop. */
    static final List<String> API_FUNCTIONS =
            List.of("exp", "expm1", "log", "log1p", "tanh", "sigmoid", "sin", "cos", "pow", "powt");

    /** The functions {@link #tensorFunction} knows: those of {@link #API_FUNCTIONS}, erf, sum and softmax of rows. */
    static final List<String> TENSOR_FUNCTIONS = List.of("exp", "expm1", "log", "log1p", "tanh", "sigmoid", "sin",
            "cos", "erf", "pow", "powt", "sum", "softmax");

    /**
     * The Tensor-API side of a function by its short name (pow is x^1.5, powt pow by a tensor of exponents, softmax
     * over rows), for the mains here and in {@link KernelCompileTimes}; call after {@link #setUp}.
     */
    Supplier<Object> tensorFunction(String name) {
        return switch (name) {
            case "exp" -> this::exp;
            case "expm1" -> this::expm1;
            case "log" -> this::log;
            case "log1p" -> this::log1p;
            case "tanh" -> this::tanh;
            case "sigmoid" -> this::sigmoid;
            case "sin" -> this::sin;
            case "cos" -> this::cos;
            case "erf" -> this::erf;
            case "pow" -> this::powHalf;
            case "powt" -> this::powTensor;
            case "sum" -> this::sum;
            case "softmax" -> this::softmaxRows;
            default -> throw new IllegalArgumentException("unknown function: " + name + "; the known ones: "
                    + String.join(",", TENSOR_FUNCTIONS));
        };
    }

    /**
     * Interleaved A/B by thread CPU time: for each function and dtype, rounds of (own, Vector API) after a warm-up,
     * then the median ns per element of each and their ratio. Optional arguments: the number of rounds (default 41),
     * the elements per tensor (default 1,000,000; a multiple of 16), the functions (comma-separated, default all of
     * exp,expm1,log,log1p,tanh,sigmoid,sin,cos,pow; pow is x^1.5; powt, pow by a tensor of exponents 3 N(0, 1), is
     * run only when named) and the dtypes (default float32,float64).
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 41;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int repeat = Math.max(1, 4_000_000 / size);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] names = (args.length > 2 ? args[2] : "exp,expm1,log,log1p,tanh,sigmoid,sin,cos,pow").split(",");
        String[] dtypes = (args.length > 3 ? args[3] : "float32,float64").split(",");
        System.out.printf(Locale.ROOT, "%-8s %-8s %10s %10s %7s%n", "function", "dtype", "own ns/el", "API ns/el",
                "own/API");
        for (String dtype : dtypes) {
            UnaryOpBenchmark b = new UnaryOpBenchmark();
            b.dtype = dtype;
            b.size = size;
            b.setUp();
            for (String name : names) {
                Supplier<Object> own = b.tensorFunction(name);
                Supplier<Object> api = switch (name) {
                    case "exp" -> b::apiExp;
                    case "expm1" -> b::apiExpm1;
                    case "log" -> b::apiLog;
                    case "log1p" -> b::apiLog1p;
                    case "tanh" -> b::apiTanh;
                    case "sigmoid" -> b::apiSigmoid;
                    case "sin" -> b::apiSin;
                    case "cos" -> b::apiCos;
                    case "pow" -> b::apiPowHalf;
                    case "powt" -> b::apiPowTensor;
                    default -> throw new IllegalArgumentException("no Vector API loop to compare " + name
                            + " with; the functions that have one: " + String.join(",", API_FUNCTIONS));
                };
                for (int i = 0; i < 30 * repeat; i++) {
                    own.get();
                    api.get();
                }
                long[] ownCpu = new long[rounds];
                long[] apiCpu = new long[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t = threads.getCurrentThreadCpuTime();
                    for (int k = 0; k < repeat; k++) {
                        own.get();
                    }
                    ownCpu[r] = threads.getCurrentThreadCpuTime() - t;
                    t = threads.getCurrentThreadCpuTime();
                    for (int k = 0; k < repeat; k++) {
                        api.get();
                    }
                    apiCpu[r] = threads.getCurrentThreadCpuTime() - t;
                }
                Arrays.sort(ownCpu);
                Arrays.sort(apiCpu);
                double ownNs = ownCpu[rounds / 2] / ((double) size * repeat);
                double apiNs = apiCpu[rounds / 2] / ((double) size * repeat);
                System.out.printf(Locale.ROOT, "%-8s %-8s %10.3f %10.3f %7.2f%n", name, dtype, ownNs, apiNs,
                        ownNs / apiNs);
            }
        }
    }
}
