package org.grad4j.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Tensor} field of a {@link Module} (or an array, {@code List} or {@code Map} of tensors) as a
 * buffer: state that is saved in the {@link Module#stateDict() state dict} and loaded with it, but that is not a
 * parameter (optimizers never see it), as PyTorch's {@code register_buffer}.
 * <pre>{@code
 * class RunningMean extends Module {
 *     @Buffer Tensor mean = Tensor.zeros(4);     // saved and loaded, not trained
 *     public Tensor forward(Tensor x) { return x.sub(mean); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Buffer {
}
