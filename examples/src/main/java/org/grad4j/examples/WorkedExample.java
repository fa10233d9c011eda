package org.grad4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grad4j.core.DType;
import org.grad4j.core.Grad;
import org.grad4j.core.Tensor;

/**
 * The study notes' worked example, made visible: a 2-2-1 sigmoid network, MSE over a batch of two, one gradient
 * step with learning rate 0.5. Prints every z and a of the forward pass, the error terms delta that backward
 * computes (kept with {@code retainGrad()}), checks the notes' rule {@code dE/dW = delta^T a} against autograd's
 * gradients, applies the step and evaluates sample 1 again. Writes the graph to {@code target/worked-example.dot}.
 *
 * <p>Run: {@code mvn -q compile exec:exec -pl examples -am}
 */
public final class WorkedExample {
    private WorkedExample() {
    }

    /** Prints the worked example, step by step. */
    public static void main(String[] args) throws IOException {
        Tensor x = Tensor.of(new double[][] {{0.05, 0.10}, {0.80, 0.20}});
        Tensor target = Tensor.of(new double[] {0.01, 0.99}, 2, 1);
        Tensor w1 = Tensor.of(new double[][] {{0.15, 0.20}, {0.25, 0.30}}).requiresGrad(true);
        Tensor b1 = Tensor.scalar(0.35, DType.FLOAT64).requiresGrad(true);
        Tensor w2 = Tensor.of(new double[][] {{0.40, 0.45}}).requiresGrad(true);
        Tensor b2 = Tensor.scalar(0.60, DType.FLOAT64).requiresGrad(true);
        double learningRate = 0.5;

        section("Inputs (one sample per row) and targets");
        show("X", x);
        show("t", target);

        section("Forward pass: z = a_prev W^T + b, a = sigmoid(z), every z and a kept");
        Tensor z1 = x.matmul(w1.t()).add(b1).retainGrad();
        Tensor a1 = z1.sigmoid();
        Tensor z2 = a1.matmul(w2.t()).add(b2).retainGrad();
        Tensor y = z2.sigmoid();
        show("z1", z1);
        show("a1", a1);
        show("z2", z2);
        show("y = a2", y);

        section("Loss: E = mean over the batch of 1/2 (y - t)^2");
        Tensor loss = y.sub(target).square().mul(0.5).mean();
        System.out.printf("E_total = %.7f   (the notes, rounding as they go: 0.150875)%n", loss.item());

        section("Backward: the error terms delta = dE/dz flow from the output to the input");
        loss.backward();
        Tensor delta2 = z2.grad();
        Tensor delta1 = z1.grad();
        show("delta2 = (y - t) y (1 - y) / batch", delta2);
        show("delta1 = (delta2 W2) * a1 (1 - a1)", delta1);
        Tensor byHand2 = y.detach().sub(target).mul(y.detach()).mul(y.detach().rsub(1)).div(2);
        Tensor byHand1 = delta2.matmul(w2.detach()).mul(a1.detach()).mul(a1.detach().rsub(1));
        System.out.printf("max |delta2 - formula| = %.1e, max |delta1 - formula| = %.1e%n",
                maxAbsDiff(delta2, byHand2), maxAbsDiff(delta1, byHand1));

        section("Gradients: dE/dW = delta^T a_prev (summed over the batch), dE/db = sum of delta");
        show("dE/dW1 (autograd)", w1.grad());
        show("dE/dW1 = delta1^T X", delta1.t().matmul(x));
        show("dE/dW2 (autograd)", w2.grad());
        show("dE/dW2 = delta2^T a1", delta2.t().matmul(a1.detach()));
        show("dE/db1 (one bias shared by both hidden neurons)", b1.grad());
        show("dE/db2", b2.grad());

        section("Gradient step W <- W - 0.5 dE/dW, in place, with recording off");
        Grad.noGrad(() -> {
            for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                p.subInPlace(p.grad().mul(learningRate));
                p.zeroGrad();
            }
        });
        show("W1", w1);
        show("b1", b1);
        show("W2", w2);
        show("b2", b2);

        section("Second forward pass on sample 1");
        Tensor y1 = Tensor.of(new double[] {0.05, 0.10}, 1, 2).matmul(w1.t()).add(b1).sigmoid()
                .matmul(w2.t()).add(b2).sigmoid();
        double e1 = 0.5 * Math.pow(y1.item() - 0.01, 2);
        System.out.printf("y_1 = %.7f, E_1 = %.7f   (the notes: 0.26909; before the step E_1 was 0.2748111)%n",
                y1.item(), e1);

        Path dot = Path.of("target", "worked-example.dot");
        Files.createDirectories(dot.getParent());
        Files.writeString(dot, loss.toDot());
        System.out.println();
        System.out.println("The graph backward() walked: " + dot.toAbsolutePath()
                + "  (render: dot -Tpng " + dot.getFileName() + " -o graph.png)");
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private static void show(String name, Tensor t) {
        String text = t.detach().toString(6).replace(", dtype=float64", "");
        System.out.println(name + " =");
        System.out.println("  " + text.replace("\n", "\n  "));
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item();
    }
}
