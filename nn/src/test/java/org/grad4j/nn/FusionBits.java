package org.grad4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.grad4j.core.Tensor;

/** What the Sequential fusion tests compare: results of modules called one by one or as a Sequential, bit for bit. */
final class FusionBits {
    private FusionBits() {
    }

    /**
     * The output, the input's gradient if x requires grad (each run on a fresh leaf with x's values) and every
     * parameter gradient, the modules called one after the other or as a Sequential.
     */
    static List<double[]> run(List<Module> modules, Tensor x, boolean sequential) {
        Tensor in = x.requiresGrad() ? x.detach().requiresGrad(true) : x;
        Tensor y;
        if (sequential) {
            y = new Sequential(modules).forward(in);
        } else {
            y = in;
            for (Module m : modules) y = m.call(y);
        }
        for (Module m : modules) m.zeroGrad();
        y.square().sum().backward();
        List<double[]> out = new ArrayList<>();
        out.add(y.detach().toDoubleArray());
        if (in.requiresGrad()) out.add(in.grad().toDoubleArray());
        for (Module m : modules) {
            for (Tensor p : m.parameters()) out.add(p.grad().toDoubleArray());
        }
        return out;
    }

    /** Fails unless the two lists hold the same arrays bit for bit. */
    static void assertSameBits(List<double[]> expected, List<double[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            double[] e = expected.get(i);
            double[] a = actual.get(i);
            assertEquals(e.length, a.length, what);
            for (int k = 0; k < e.length; k++) {
                assertEquals(Double.doubleToRawLongBits(e[k]), Double.doubleToRawLongBits(a[k]),
                        what + ": result " + i + " element " + k);
            }
        }
    }
}
