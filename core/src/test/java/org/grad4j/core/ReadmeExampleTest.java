package org.grad4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The README's first example, run as written, with the values it prints checked by hand. */
class ReadmeExampleTest {

    @Test
    void readmeExample() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}});          // two samples, two features
        Tensor w = Tensor.of(new double[] {0.5, -0.25}).requiresGrad(true);
        Tensor b = Tensor.scalar(0.1, DType.FLOAT64).requiresGrad(true);

        Tensor y = x.matmul(w).add(b).tanh();                             // forward pass records the graph
        Tensor loss = y.square().mean();
        loss.backward();                                                  // reverse-mode autodiff

        // y = tanh([0.1, 0.6]); loss = (tanh(0.1)^2 + tanh(0.6)^2) / 2
        double t1 = Math.tanh(0.1);
        double t2 = Math.tanh(0.6);
        assertEquals((t1 * t1 + t2 * t2) / 2, loss.item(), 1e-15);
        // dloss/dz_i = y_i (1 - y_i^2); dloss/dw = sum_i dz_i x_i; dloss/db = sum_i dz_i
        double d1 = t1 * (1 - t1 * t1);
        double d2 = t2 * (1 - t2 * t2);
        assertEquals(d1 * 1 + d2 * 3, w.grad().get(0), 1e-15);
        assertEquals(d1 * 2 + d2 * 4, w.grad().get(1), 1e-15);
        assertEquals(d1 + d2, b.grad().item(), 1e-15);
        assertEquals("tensor(0.1492, dtype=float64, grad_fn=<div>)", loss.toString());
        assertEquals("tensor([1.2451, 1.7260], dtype=float64)", w.grad().toString());
        assertEquals("tensor(0.4808, dtype=float64)", b.grad().toString());
    }
}
