package org.grad4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.grad4j.core.Grad;
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
 * What one small op costs beyond its arithmetic: an element-wise add on tiny tensors, with and without graph
 * recording, and a recorded add followed by its backward. Run:
 * {@code mvn -q compile exec:exec -pl benchmarks -am -Djmh.args="OpOverheadBenchmark -f 1 -wi 3 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OpOverheadBenchmark {
    @Param({"1", "100"})
    public int elements;

    private Tensor x;
    private Tensor y;
    private Tensor leaf;

    @Setup
    public void setUp() {
        x = Tensor.randn(1, elements);
        y = Tensor.randn(2, elements);
        leaf = Tensor.randn(3, elements).requiresGrad(true);
    }

    @Benchmark
    public Tensor addNoGrad() {
        try (Grad.Scope off = Grad.disabled()) {
            return x.add(y);
        }
    }

    @Benchmark
    public Tensor addRecorded() {
        return leaf.add(y);
    }

    @Benchmark
    public Tensor addThenBackward() {
        leaf.zeroGrad();
        leaf.add(y).sum().backward();
        return leaf.grad();
    }
}
