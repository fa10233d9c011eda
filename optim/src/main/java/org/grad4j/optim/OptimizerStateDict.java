package org.grad4j.optim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * <p>Tensors are keyed {@code state.<i>.<name>} (parameter {@code i} counted across groups in order; names such
 * as {@code momentumBuffer}, {@code expAvg}, {@code expAvgSq}, {@code maxExpAvgSq}, {@code squareAvg},
 * {@code gradAvg}). The metadata holds one entry, {@value #METADATA_KEY}, a JSON object:
 * <pre>{@code
 * {"format":"grad4j.optim/2","optimizer":"Adam",
 *  "groups":[{"params":[0,1],"names":["0.weight","0.bias"],"options":{"lr":0.001,...},"initialLr":0.001}],
 *  "steps":{"0":3,"1":3}}
 * }</pre>
 * ({@code names} when the optimizer was built from named parameters, {@code initialLr} when a scheduler set one,
 * a step count for each parameter that has state; and {@code "scalars":{"0":{"muProduct":"0.4449..."}}} when an
 * optimizer keeps numbers per parameter, such as NAdam's {@code muProduct} or L-BFGS's counters, each written as
 * its {@link Double#toString} text so NaN and infinities survive).
 *
 * @param tensors  state tensors by key (read-only copy)
 * @param metadata hyper-parameters, step counts and bookkeeping by key (read-only copy)
 */
public record OptimizerStateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** The metadata key of the JSON description of groups, options and step counts. */
    public static final String METADATA_KEY = "grad4j.optim";

    /** Copies both maps, keeping their order. */
    public OptimizerStateDict {
        if (tensors == null || metadata == null) {
            throw new IllegalArgumentException("OptimizerStateDict: " + (tensors == null ? "tensors" : "metadata")
                    + " is null");
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
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
