package org.grad4j.optim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.io.SafeTensors;
import org.grad4j.nn.io.SafeTensorsFile;
import org.grad4j.nn.io.TensorData;

/**
 * An optimizer's saved state: tensors plus string metadata, the shape of a safetensors file, so it can be written
 * with {@link #save} and read with {@link #load}. Produced by {@link Optimizer#stateDict()}, consumed by
 * {@link Optimizer#loadStateDict}; numbers are written in Java's shortest round-tripping form, so a reload is
 * bit-exact.
 *
 * <pre>{@code
 * adam.stateDict().save(Path.of("adam.safetensors"));
 * // later, with an optimizer built over the same parameters:
 * adam.loadStateDict(OptimizerStateDict.load(Path.of("adam.safetensors")));
 * }</pre>
 *
 * <p>Keys: tensors {@code state.<i>.<name>} (parameter {@code i} counted across groups in order; names such as
 * {@code momentumBuffer}, {@code expAvg}, {@code expAvgSq}, {@code maxExpAvgSq}, {@code squareAvg},
 * {@code gradAvg}); metadata {@code format}, {@code optimizer}, {@code paramGroups}, {@code state.<i>.step},
 * {@code group.<g>.params} (comma-separated parameter numbers), {@code group.<g>.<option>} and
 * {@code group.<g>.initialLr} when a scheduler set one.
 *
 * @param tensors  state tensors by key (read-only copy)
 * @param metadata hyper-parameters, step counts and bookkeeping by key (read-only copy)
 */
public record OptimizerStateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /** Copies both maps, keeping their order. */
    public OptimizerStateDict {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }

    /** Writes this state to a safetensors file (atomically; float32 state as F32, float64 as F64). */
    public void save(Path file) throws IOException {
        Map<String, TensorData> data = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            data.put(e.getKey(), t.dtype() == DType.FLOAT32
                    ? TensorData.ofFloats(t.toFloatArray(), t.shape())
                    : TensorData.ofDoubles(t.toDoubleArray(), t.shape()));
        }
        SafeTensors.write(file, data, metadata);
    }

    /** Reads a state written by {@link #save}. */
    public static OptimizerStateDict load(Path file) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : f.tensors().entrySet()) {
            TensorData d = e.getValue();
            int[] shape = d.shape();
            boolean f32 = TensorData.F32.equals(d.dtype());
            Tensor t;
            if (shape.length == 0) {
                t = Tensor.scalar(f32 ? d.toFloatArray()[0] : d.toDoubleArray()[0],
                        f32 ? DType.FLOAT32 : DType.FLOAT64);
            } else {
                t = f32 ? Tensor.of(d.toFloatArray(), shape) : Tensor.of(d.toDoubleArray(), shape);
            }
            tensors.put(e.getKey(), t);
        }
        return new OptimizerStateDict(tensors, f.metadata());
    }
}
