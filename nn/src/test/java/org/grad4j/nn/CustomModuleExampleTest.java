package org.grad4j.nn;

import static org.grad4j.nn.TestTensors.assertClose;
import static org.grad4j.nn.TestTensors.assertGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The javadoc examples of Module and Loss, run as written: a user's layer and loss need nothing more. */
class CustomModuleExampleTest {

    static class Mlp extends Module {
        final Linear hidden = new Linear(2, 8);
        final Linear out = new Linear(8, 1);
        final Tensor scale = Tensor.ones(1).requiresGrad(true);

        @Override
        public Tensor forward(Tensor x) {
            return out.forward(hidden.forward(x).tanh()).mul(scale);
        }
    }

    @Test
    void moduleJavadocExample(@TempDir Path dir) throws Exception {
        Mlp model = new Mlp();
        assertEquals(List.of("scale", "hidden.weight", "hidden.bias", "out.weight", "out.bias"),
                List.copyOf(model.namedParameters().keySet()));
        Path file = dir.resolve("mlp.safetensors");
        model.save(file);
        Mlp other = new Mlp();
        other.load(file);
        Tensor x = Tensor.ones(3, 2);
        assertClose(model.forward(x).toDoubleArray(), other.forward(x), 0);
    }

    static class Bilinear extends Module {
        final Linear left = new Linear(4, 2);
        final Linear right = new Linear(3, 2);

        @Override
        public Tensor forward(Tensor... in) {
            return left.forward(in[0]).mul(right.forward(in[1]));
        }

        @Override
        public Tensor forward(Tensor x) {
            throw new IllegalArgumentException("Bilinear takes (x, y)");
        }
    }

    @Test
    void multiInputJavadocExample() {
        Tensor z = new Bilinear().forward(Tensor.ones(5, 4), Tensor.ones(5, 3));
        assertArrayEquals(new int[] {5, 2}, z.shape());
    }

    /** log(cosh(d)) = d + softplus(-2d) - log 2, written with library functions only. */
    static class LogCosh extends Loss {
        LogCosh() {
            super(Reduction.MEAN);
        }

        @Override
        public Tensor forward(Tensor input, Tensor target) {
            Tensor d = input.sub(target);
            return Losses.reduce(d.add(Activations.softplus(d.mul(-2))).sub(Math.log(2)), reduction());
        }
    }

    @Test
    void lossJavadocExampleIsRightAndDifferentiable() {
        double[] in = {0.3, -2.0, 40.0, -40.0};
        double[] tg = {0.0, 1.0, 0.0, 0.0};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double d = in[i] - tg[i];
            expected += Math.abs(d) > 20 ? Math.abs(d) - Math.log(2) : Math.log(Math.cosh(d));
        }
        assertClose(expected / 4, new LogCosh().forward(Tensor.of(in.clone()), Tensor.of(tg.clone())), 1e-12);
        assertGradients(t -> new LogCosh().forward(t[0], Tensor.zeros(DType.FLOAT64, 2, 3)),
                TestTensors.leaf(1, 2, 3));
    }
}
