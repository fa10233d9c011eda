package org.grad4j.core.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: its tensors in header order and its {@code __metadata__}
 * strings (empty if the file has none). Both maps are unmodifiable and keep their order.
 *
 * @param tensors  tensor name to data, in the order the header lists them
 * @param metadata the free-form string-to-string metadata
 */
public record SafeTensorsFile(Map<String, TensorData> tensors, Map<String, String> metadata) {

    /** Copies both maps, keeping their iteration order. */
    public SafeTensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Args.notNull(tensors, "SafeTensorsFile", "tensors")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Args.notNull(metadata, "SafeTensorsFile",
                "metadata")));
    }
}
