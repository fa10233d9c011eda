/**
 * Training for the common case, on top of {@code nn} and {@code optim}: {@link org.grad4j.train.Trainer} (epochs,
 * validation, metrics, callbacks, progress, {@link org.grad4j.train.History}), {@link org.grad4j.train.Metrics}
 * (accuracy, top-k, MAE, RMSE), {@link org.grad4j.train.ConfusionMatrix}, callbacks
 * ({@link org.grad4j.train.EarlyStop}, {@link org.grad4j.train.BestCheckpoint},
 * {@link org.grad4j.train.SchedulerStep}, {@link org.grad4j.train.GradientClipping}) and
 * {@link org.grad4j.train.Charts} (PNG training curves and confusion matrices, via JFreeChart).
 * <pre>{@code
 * History history = Trainer.builder(model, optimizer, new CrossEntropyLoss())
 *         .epochs(10).batchSize(64).seed(42).metrics(Metrics.accuracy())
 *         .callbacks(EarlyStop.onValidationLoss(3))
 *         .plotsTo(Path.of("target/plots"))
 *         .build()
 *         .fit(train, validation);
 * }</pre>
 */
package org.grad4j.train;
