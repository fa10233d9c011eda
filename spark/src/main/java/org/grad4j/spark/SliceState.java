package org.grad4j.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.grad4j.core.DType;
import org.grad4j.core.Tensor;
import org.grad4j.optim.OptimizerStateDict;

/** An optimizer's state for one slice of the flat parameter vector, in a form the block manager can hold. */
record SliceState(LinkedHashMap<String, double[]> tensors, LinkedHashMap<String, String> metadata)
        implements Serializable {

    static SliceState of(OptimizerStateDict dict) {
        LinkedHashMap<String, double[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
            tensors.put(e.getKey(), e.getValue().toDoubleArray());
        }
        return new SliceState(tensors, new LinkedHashMap<>(dict.metadata()));
    }

    OptimizerStateDict toDict(DType dtype) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : tensors.entrySet()) {
            Tensor t = Tensor.of(e.getValue().clone(), e.getValue().length);
            out.put(e.getKey(), dtype == DType.FLOAT64 ? t : t.to(dtype));
        }
        return new OptimizerStateDict(out, metadata);
    }
}
