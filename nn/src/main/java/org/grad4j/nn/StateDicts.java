package org.grad4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.Tensor;
import org.grad4j.core.io.SafeTensorsFormatException;
import org.grad4j.core.io.StateDictFile;
import org.grad4j.core.io.TensorData;

/**
 * Saves and loads maps of named tensors as safetensors files, and converts between {@link Tensor} and the codec's
 * {@link TensorData}; a thin front of core's {@link StateDictFile}, the one save/load path. {@link Module#save} and {@link Module#load} use it; so can anything else with state to keep,
 * such as an optimizer, which then writes the same file format.
 * <pre>{@code
 * StateDicts.save(Path.of("adam.safetensors"), Map.of("step", Tensor.scalar(10)), Map.of("lr", "0.001"));
 * StateDicts.Loaded back = StateDicts.load(Path.of("adam.safetensors"));
 * back.tensors().get("step").item();   // 10.0
 * back.metadata().get("lr");           // "0.001"
 * }</pre>
 * Values round-trip bit for bit (NaN payloads, signed zeros and subnormals included); float32 is stored as F32 and
 * float64 as F64.
 */
public final class StateDicts {
    private StateDicts() {
    }

    /** The tensors of a file, in the order of its header, and its metadata. Both maps are unmodifiable. */
    public record Loaded(Map<String, Tensor> tensors, Map<String, String> metadata) {
        /** Copies the lists, so the record cannot change afterwards. */
        public Loaded {
            Args.notNull(tensors, "StateDicts.Loaded", "tensors");
            Args.notNull(metadata, "StateDicts.Loaded", "metadata");
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** The tensor's values (row-major, whatever its strides) as safetensors data of the same shape and dtype. */
    public static TensorData toTensorData(Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("StateDicts.toTensorData: the tensor is null");
        }
        return StateDictFile.toTensorData(t);
    }

    /** A new contiguous tensor (a leaf that does not require grad) holding a copy of the data. */
    public static Tensor fromTensorData(TensorData data) {
        if (data == null) {
            throw new IllegalArgumentException("StateDicts.fromTensorData: the data is null");
        }
        return StateDictFile.fromTensorData(data);
    }

    /**
     * Writes the tensors (in the map's order) and the metadata to a safetensors file, atomically, through
     * {@link StateDictFile#save}: every entry is checked before anything is written.
     *
     * @param metadata string pairs for the file's {@code __metadata__}; may be empty
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StateDictFile.save(file, tensors, metadata);
    }

    /** {@link #save(Path, Map, Map)} without metadata. */
    public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /**
     * Reads a whole safetensors file into tensors, through {@link StateDictFile#load}.
     *
     * @throws SafeTensorsFormatException if it is malformed, truncated, or holds a dtype grad4j does not read
     * @throws IOException                if it cannot be read
     */
    public static Loaded load(Path file) throws IOException {
        StateDictFile.Contents contents = StateDictFile.load(file);
        return new Loaded(contents.tensors(), contents.metadata());
    }
}
