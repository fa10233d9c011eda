package org.grad4j.core.io;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;

/**
 * The one way grad4j writes a map of named tensors (a module's or an optimizer's state dict) to a safetensors file
 * and reads it back. Everything is checked before the file system is touched: a null name, tensor or metadata value
 * fails with an {@link IllegalArgumentException} naming the key, and nothing is written. Writes are atomic (see
 * {@link SafeTensors#write}); reads validate the whole file before converting any tensor.
 * <pre>{@code
 * StateDictFile.save(Path.of("state.safetensors"), Map.of("step", Tensor.scalar(10)), Map.of("lr", "0.001"));
 * StateDictFile.Contents back = StateDictFile.load(Path.of("state.safetensors"));
 * back.tensors().get("step").item();   // 10.0
 * back.metadata().get("lr");           // "0.001"
 * }</pre>
 * Values round-trip bit for bit (NaN payloads, signed zeros and subnormals included); each dtype is stored as its
 * safetensors twin (float32 F32, float64 F64, int64 I64, int32 I32, uint8 U8, bool BOOL); F16 and BF16 files load
 * as float32, and {@link #save(Path, Map, Map, String)} writes float32 as F16 or BF16.
 */
public final class StateDictFile {
    private StateDictFile() {
    }

    /**
     * The tensors of a file, in the order of its header, and its metadata. Both maps are unmodifiable copies.
     *
     * @param tensors  tensors by name
     * @param metadata the file's {@code __metadata__} strings
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        /** Copies both maps, keeping their order. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Args.notNull(tensors, "Contents", "tensors")));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Args.notNull(metadata, "Contents",
                    "metadata")));
        }
    }

    /** The tensor's values (row-major, whatever its strides) as safetensors data of the same shape and dtype. */
    public static TensorData toTensorData(Tensor t) {
        return switch (Args.notNull(t, "StateDictFile.toTensorData", "t").dtype()) {
            case FLOAT32 -> TensorData.ofFloats(t.toFloatArray(), t.shape());
            case FLOAT64 -> TensorData.ofDoubles(t.toDoubleArray(), t.shape());
            case INT64 -> TensorData.ofLongs(t.toLongArray(), t.shape());
            case INT32 -> TensorData.ofInts(t.toIntArray(), t.shape());
            case UINT8 -> TensorData.ofBytes(t.toByteArray(), t.shape());
            case BOOL -> TensorData.ofBooleans(t.toBooleanArray(), t.shape());
        };
    }

    /**
     * Like {@link #toTensorData(Tensor)}, but float32 tensors are stored as {@code halfFloat} ({@link TensorData#F16}
     * or {@link TensorData#BF16}), each value rounded to nearest even; other dtypes as they are.
     */
    public static TensorData toTensorData(Tensor t, String halfFloat) {
        Args.notNull(t, "StateDictFile.toTensorData", "t");
        Args.notNull(halfFloat, "StateDictFile.toTensorData", "halfFloat");
        if (t.dtype() != DType.FLOAT32) {
            return toTensorData(t);
        }
        return switch (halfFloat) {
            case TensorData.F16 -> TensorData.ofHalfFloats(t.toFloatArray(), t.shape());
            case TensorData.BF16 -> TensorData.ofBFloat16s(t.toFloatArray(), t.shape());
            default -> throw new IllegalArgumentException("StateDictFile: float32 can be stored as F16 or BF16, not "
                    + halfFloat);
        };
    }

    /**
     * A new contiguous tensor (a leaf that does not require grad) holding a copy of the data: F32, F16 and BF16 as
     * float32 (16-bit floats converted exactly), F64 as float64, I64, I32, U8 and BOOL as int64, int32, uint8, bool.
     */
    public static Tensor fromTensorData(TensorData data) {
        return switch (Args.notNull(data, "StateDictFile.fromTensorData", "data").dtype()) {
            case TensorData.F32, TensorData.F16, TensorData.BF16 -> Tensor.ofShape(data.toFloatArray(), data.shape());
            case TensorData.F64 -> Tensor.ofShape(data.toDoubleArray(), data.shape());
            case TensorData.I64 -> Tensor.ofShape(data.toLongArray(), data.shape());
            case TensorData.I32 -> Tensor.ofShape(data.toIntArray(), data.shape());
            case TensorData.U8 -> Tensor.ofShape(data.toByteArray(), data.shape());
            case TensorData.BOOL -> Tensor.ofShape(data.toByteArray(), data.shape()).to(DType.BOOL);
            default -> throw new IllegalArgumentException("StateDictFile: unsupported safetensors dtype "
                    + data.dtype() + "; grad4j reads " + TensorData.SUPPORTED);
        };
    }

    /**
     * Writes the tensors (in the map's order) and the metadata to a safetensors file, atomically. All entries are
     * checked first; on any failure nothing is written and an existing file is left as it was.
     *
     * @param file     the target; its directory must exist
     * @param tensors  tensors by name
     * @param metadata string pairs for the file's {@code __metadata__}; may be empty or null
     * @throws IllegalArgumentException if a name, tensor or metadata value is null, or a name cannot be stored
     * @throws IOException              if writing fails
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        saveAs(file, tensors, metadata, null);
    }

    private static void saveAs(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, String halfFloat)
            throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("StateDictFile.save: file is null");
        }
        if (tensors == null) {
            throw new IllegalArgumentException("StateDictFile.save: the tensor map is null");
        }
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("StateDictFile.save: metadata entry " + e.getKey() + "="
                        + e.getValue() + " has a null key or value");
            }
        }
        Map<String, TensorData> data = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("StateDictFile.save: a tensor name is null");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("StateDictFile.save: the tensor for '" + e.getKey() + "' is null");
            }
            data.put(e.getKey(), halfFloat == null ? toTensorData(e.getValue())
                    : toTensorData(e.getValue(), halfFloat));
        }
        FileChecks.checkWritable("save", file);
        try {
            SafeTensors.write(file, data, meta);
        } catch (ClosedByInterruptException e) {
            throw FileChecks.interrupted("save", file, e);
        }
    }

    /**
     * {@link #save(Path, Map, Map)} with float32 tensors stored as {@code halfFloat}, {@link TensorData#F16} or
     * {@link TensorData#BF16} (rounded to nearest even; loading gives float32 back).
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, String halfFloat)
            throws IOException {
        if (!TensorData.F16.equals(halfFloat) && !TensorData.BF16.equals(halfFloat)) {
            throw new IllegalArgumentException("StateDictFile.save: float32 can be stored as F16 or BF16, not "
                    + halfFloat);
        }
        saveAs(file, tensors, metadata, halfFloat);
    }

    /**
     * Reads a whole safetensors file into tensors.
     *
     * @throws SafeTensorsFormatException if it is malformed, truncated, or holds a dtype grad4j does not read
     * @throws IOException                if it cannot be read
     */
    public static Contents load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("StateDictFile.load: file is null");
        }
        FileChecks.checkReadable("load", file);
        SafeTensorsFile contents;
        try {
            contents = SafeTensors.read(file);
        } catch (ClosedByInterruptException e) {
            throw FileChecks.interrupted("load", file, e);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : contents.tensors().entrySet()) {
            tensors.put(e.getKey(), fromTensorData(e.getValue()));
        }
        return new Contents(tensors, contents.metadata());
    }
}
