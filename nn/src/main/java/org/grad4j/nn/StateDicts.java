package org.grad4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.nn.io.SafeTensors;
import org.grad4j.nn.io.SafeTensorsFormatException;
import org.grad4j.nn.io.TensorData;

/**
 * Saves and loads maps of named tensors as safetensors files, and converts between {@link Tensor} and the codec's
 * {@link TensorData}. {@link Module#save} and {@link Module#load} use it; so can anything else with state to keep,
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
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** The tensor's values (row-major, whatever its strides) as F32 or F64 data of the same shape. */
    public static TensorData toTensorData(Tensor t) {
        return t.dtype() == DType.FLOAT32
                ? TensorData.ofFloats(t.toFloatArray(), t.shape())
                : TensorData.ofDoubles(t.toDoubleArray(), t.shape());
    }

    /** A new contiguous tensor (a leaf that does not require grad) holding a copy of the data. */
    public static Tensor fromTensorData(TensorData data) {
        return switch (data.dtype()) {
            case TensorData.F32 -> Tensor.ofShape(data.toFloatArray(), data.shape());
            case TensorData.F64 -> Tensor.ofShape(data.toDoubleArray(), data.shape());
            default -> throw new IllegalArgumentException("unsupported dtype " + data.dtype()
                    + "; grad4j tensors are F32 or F64");
        };
    }

    /**
     * Writes the tensors (in the map's order) and the metadata to a safetensors file, atomically.
     *
     * @param metadata string pairs for the file's {@code __metadata__}; may be empty
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, TensorData> data = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("StateDicts.save: the tensor for '" + e.getKey() + "' is null");
            }
            data.put(e.getKey(), toTensorData(e.getValue()));
        }
        SafeTensors.write(file, data, metadata == null ? Map.of() : metadata);
    }

    /** {@link #save(Path, Map, Map)} without metadata. */
    public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /**
     * Reads a whole safetensors file into tensors.
     *
     * @throws SafeTensorsFormatException if it is malformed, truncated, or holds a dtype other than F32/F64
     * @throws IOException                if it cannot be read
     */
    public static Loaded load(Path file) throws IOException {
        var contents = SafeTensors.read(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : contents.tensors().entrySet()) {
            tensors.put(e.getKey(), fromTensorData(e.getValue()));
        }
        return new Loaded(tensors, contents.metadata());
    }
}
