package org.grad4j.train;

import java.util.Map;

/**
 * Hooks into a {@link Trainer#fit} run, as Keras callbacks. Every method does nothing by default; override the ones
 * needed. The order within an epoch: {@code onEpochBegin}, then per batch forward, backward,
 * {@code afterBackward} (gradients ready, before the optimizer step: clipping goes here), the step,
 * {@code onBatchEnd}; after the training pass and validation {@code onEpochEnd} with the epoch's values; callbacks run
 * in the order they were given. A callback stops training with {@link TrainingContext#stop(String)}.
 * <pre>{@code
 * Callback printLr = Callback.onEpochEnd((ctx, epoch, values) ->
 *         System.out.println("epoch " + epoch + " lr " + values.get("lr")));
 * }</pre>
 */
public interface Callback {
    /** Before the first epoch. */
    default void onTrainBegin(TrainingContext context) {
    }

    /** At the start of each epoch (numbered from 1). */
    default void onEpochBegin(TrainingContext context, int epoch) {
    }

    /** After each batch's backward pass, before the optimizer step. */
    default void afterBackward(TrainingContext context) {
    }

    /** After each batch's optimizer step, with the batch's loss. */
    default void onBatchEnd(TrainingContext context, int batch, double loss) {
    }

    /** After each epoch's training and validation, with the epoch's values (loss, metrics, val_..., lr). */
    default void onEpochEnd(TrainingContext context, int epoch, Map<String, Double> values) {
    }

    /** After the last epoch, or after a stop. */
    default void onTrainEnd(TrainingContext context) {
    }

    /** The body of an epoch-end callback. */
    @FunctionalInterface
    interface EpochEnd {
        /** Called as {@link Callback#onEpochEnd}. */
        void accept(TrainingContext context, int epoch, Map<String, Double> values);
    }

    /** A callback that only acts at the end of each epoch. */
    static Callback onEpochEnd(EpochEnd body) {
        return new Callback() {
            @Override
            public void onEpochEnd(TrainingContext context, int epoch, Map<String, Double> values) {
                body.accept(context, epoch, values);
            }
        };
    }
}
