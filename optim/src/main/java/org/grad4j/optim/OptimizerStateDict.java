package org.grad4j.optim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.StateDictFile;

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

    /**
     * Writes this state to a safetensors file, atomically, through core's {@link StateDictFile#save} (float32 state
     * as F32, float64 as F64; every entry is checked before anything is written).
     */
    public void save(Path file) throws IOException {
        StateDictFile.save(file, tensors, metadata);
    }

    /** Reads a state written by {@link #save}, through core's {@link StateDictFile#load}. */
    public static OptimizerStateDict load(Path file) throws IOException {
        StateDictFile.Contents contents = StateDictFile.load(file);
        return new OptimizerStateDict(contents.tensors(), contents.metadata());
    }
}
