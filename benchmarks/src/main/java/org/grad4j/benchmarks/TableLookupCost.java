package org.grad4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * What a table lookup costs on SIMD lanes, against the operations it would replace: loops over 65,536 doubles that
 * load, look an entry up (or divide, or run a chain of fmas) and store, timed by the CPU time of the measuring
 * thread (median of 31 repetitions after warm-up), so usable while the machine is shared. Subtract {@code plain}
 * (load, index, multiply, store) to get the lookup's own cost. The figures in docs/performance-log.md's "Table
 * lookups" block come from this program. Run after
 * {@code mvn -q compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -pl benchmarks -am}:
 * {@code taskset -c 1 java --add-modules jdk.incubator.vector -cp benchmarks/target/classes:core/target/classes:$(cat
 * /tmp/cp.txt) org.grad4j.benchmarks.TableLookupCost}
 */
public final class TableLookupCost {
    private TableLookupCost() {
    }

    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> LS = VectorSpecies.of(long.class, DS.vectorShape());
    private static final VectorSpecies<Integer> IS =
            VectorSpecies.of(int.class, VectorShape.forBitSize(Math.max(64, DS.vectorBitSize() / 2)));
    private static final double[] TABLE = new double[129];
    private static final double[] TABLE2 = new double[129];
    private static final long[] TABLE_BITS = new long[16];
    private static final int[] FIXED_MAP = new int[64];

    static {
        for (int i = 0; i < TABLE.length; i++) {
            TABLE[i] = 1 + i / 128.0;
            TABLE2[i] = Math.log(TABLE[i]);
        }
        for (int i = 0; i < TABLE_BITS.length; i++) {
            TABLE_BITS[i] = Double.doubleToRawLongBits(1 + i / 16.0);
        }
        for (int i = 0; i < FIXED_MAP.length; i++) {
            FIXED_MAP[i] = (i * 37) & 127;
        }
    }

    private interface Loop {
        void run(double[] x, double[] out);
    }

    private static LongVector index(DoubleVector v, long mask) {
        return v.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 45).and(mask);
    }

    /** Load, index bits, multiply by the index as a double, store: the loop around every lookup below. */
    private static void plain(double[] x, double[] out) {
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            v.mul(index(v, 127L).convert(VectorOperators.L2D, 0).reinterpretAsDoubles()).intoArray(out, i);
        }
    }

    /** One gather from a 128-entry table, its index map stored from the lanes first. */
    private static void gather(double[] x, double[] out) {
        int[] map = new int[DS.length()];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            ((IntVector) index(v, 127L).convertShape(VectorOperators.L2I, IS, 0)).intoArray(map, 0);
            v.mul(DoubleVector.fromArray(DS, TABLE, 0, map, 0)).intoArray(out, i);
        }
    }

    /** Two gathers with one stored index map. */
    private static void gatherTwo(double[] x, double[] out) {
        int[] map = new int[DS.length()];
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            ((IntVector) index(v, 127L).convertShape(VectorOperators.L2I, IS, 0)).intoArray(map, 0);
            v.fma(DoubleVector.fromArray(DS, TABLE, 0, map, 0), DoubleVector.fromArray(DS, TABLE2, 0, map, 0))
                    .intoArray(out, i);
        }
    }

    /** One gather with a fixed index map: the gather instruction alone. */
    private static void gatherFixedMap(double[] x, double[] out) {
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            v.mul(DoubleVector.fromArray(DS, TABLE, 0, FIXED_MAP, i & (64 - DS.length()))).intoArray(out, i);
        }
    }

    /** An 8-entry table in one register (at 512 bits), permuted by the index: Math.snippets' lookup. */
    private static void register8(double[] x, double[] out) {
        LongVector table = LongVector.fromArray(LS, TABLE_BITS, 0);
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            v.mul(index(v, LS.length() - 1L).selectFrom(table).reinterpretAsDoubles()).intoArray(out, i);
        }
    }

    /** A 16-entry table in two registers (at 512 bits): two permutations and a blend. */
    private static void register16(double[] x, double[] out) {
        DoubleVector low = DoubleVector.fromArray(DS, TABLE, 0);
        DoubleVector high = DoubleVector.fromArray(DS, TABLE, DS.length());
        for (int i = 0; i < x.length; i += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            LongVector k = index(v, 2L * DS.length() - 1);
            VectorShuffle<Double> s = k.toShuffle().cast(DS);
            DoubleVector entry = low.rearrange(s.wrapIndexes()).blend(high.rearrange(s.wrapIndexes()),
                    k.compare(VectorOperators.GE, (long) DS.length()).cast(DS));
            v.mul(entry).intoArray(out, i);
        }
    }

    /** Two vectors per iteration, each a division and four dependent fmas. */
    private static void division(double[] x, double[] out) {
        DoubleVector two = DoubleVector.broadcast(DS, 2.0);
        for (int i = 0; i < x.length; i += 2 * DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            DoubleVector w = DoubleVector.fromArray(DS, x, i + DS.length());
            v = v.div(v.add(two));
            w = w.div(w.add(two));
            v.fma(v, v).fma(v, v).fma(v, v).fma(v, v).intoArray(out, i);
            w.fma(w, w).fma(w, w).fma(w, w).fma(w, w).intoArray(out, i + DS.length());
        }
    }

    /** As {@link #division} with a multiplication in place of the division. */
    private static void multiplication(double[] x, double[] out) {
        DoubleVector two = DoubleVector.broadcast(DS, 2.0);
        for (int i = 0; i < x.length; i += 2 * DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            DoubleVector w = DoubleVector.fromArray(DS, x, i + DS.length());
            v = v.mul(v.add(two));
            w = w.mul(w.add(two));
            v.fma(v, v).fma(v, v).fma(v, v).fma(v, v).intoArray(out, i);
            w.fma(w, w).fma(w, w).fma(w, w).fma(w, w).intoArray(out, i + DS.length());
        }
    }

    /** Two vectors per iteration, 40 dependent fmas each: the cost of one fma in a chain. */
    private static void fmaChains(double[] x, double[] out) {
        DoubleVector a = DoubleVector.broadcast(DS, 1.0001);
        DoubleVector b = DoubleVector.broadcast(DS, 0.5);
        for (int i = 0; i < x.length; i += 2 * DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, x, i);
            DoubleVector w = DoubleVector.fromArray(DS, x, i + DS.length());
            for (int k = 0; k < 40; k++) {
                v = v.fma(a, b);
                w = w.fma(a, b);
            }
            v.intoArray(out, i);
            w.intoArray(out, i + DS.length());
        }
    }

    /** Prints ns per element of each loop (three rounds). */
    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] x = new double[65_536];
        double[] out = new double[x.length];
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + random.nextDouble();
        }
        Loop[] loops = {TableLookupCost::plain, TableLookupCost::gather, TableLookupCost::gatherTwo,
            TableLookupCost::gatherFixedMap, TableLookupCost::register8, TableLookupCost::register16,
            TableLookupCost::division, TableLookupCost::multiplication, TableLookupCost::fmaChains};
        String[] names = {"plain", "gather", "gatherTwo", "gatherFixedMap", "register8", "register16", "division",
            "multiplication", "fmaChains (80 fmas per 2 vectors)"};
        for (int warm = 0; warm < 2000; warm++) {
            for (Loop loop : loops) {
                loop.run(x, out);
            }
        }
        System.out.println(DS.vectorBitSize() + "-bit doubles, ns per element (median of 31 x 20 loops)");
        for (int round = 0; round < 3; round++) {
            for (int j = 0; j < loops.length; j++) {
                long[] t = new long[31];
                for (int r = 0; r < t.length; r++) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int q = 0; q < 20; q++) {
                        loops[j].run(x, out);
                    }
                    t[r] = threads.getCurrentThreadCpuTime() - start;
                }
                Arrays.sort(t);
                System.out.printf(Locale.ROOT, "%-36s %.3f%n", names[j], t[15] / 20.0 / x.length);
            }
        }
    }
}
