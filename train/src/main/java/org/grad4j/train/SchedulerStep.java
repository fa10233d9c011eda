package org.grad4j.train;

import java.util.Map;
import org.grad4j.optim.LRScheduler;
import org.grad4j.optim.ReduceLROnPlateau;

/**
 * Steps a learning-rate scheduler once per epoch, after validation (PyTorch's convention for epoch schedulers).
 * <pre>{@code
 * .callbacks(new SchedulerStep(new StepLR(optimizer, 10, 0.1)))
 * .callbacks(SchedulerStep.onPlateau(new ReduceLROnPlateau(optimizer), "val_loss"))
 * }</pre>
 */
public final class SchedulerStep implements Callback {
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final String monitor;

    /** Calls {@code scheduler.step()} at the end of every epoch. */
    public SchedulerStep(LRScheduler scheduler) {
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "scheduler");
        this.plateau = null;
        this.monitor = null;
    }

    private SchedulerStep(ReduceLROnPlateau plateau, String monitor) {
        this.scheduler = null;
        this.plateau = java.util.Objects.requireNonNull(plateau, "plateau");
        this.monitor = monitor;
    }

    /** Calls {@code plateau.step(values.get(monitor))} at the end of every epoch. */
    public static SchedulerStep onPlateau(ReduceLROnPlateau plateau, String monitor) {
        return new SchedulerStep(plateau, monitor);
    }

    @Override
    public void onEpochEnd(TrainingContext context, int epoch, Map<String, Double> values) {
        if (scheduler != null) {
            scheduler.step();
            return;
        }
        Double value = values.get(monitor);
        if (value == null) {
            throw new IllegalStateException("SchedulerStep: '" + monitor + "' was not measured; measured are "
                    + values.keySet());
        }
        plateau.step(value);
    }
}
