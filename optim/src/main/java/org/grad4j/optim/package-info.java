/**
 * Optimizers, learning-rate schedulers and gradient clipping with the update formulas of {@code torch.optim}.
 *
 * <pre>{@code
 * var opt = new AdamW(params, AdamW.options().lr(1e-3).weightDecay(0.01));
 * var sched = new SequentialLR(opt, List.of(new LinearWarmup(opt, 0.1, 5), new CosineAnnealingLR(opt, 95)), 5);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     opt.zeroGrad();
 *     loss().backward();
 *     ClipGrad.clipGradNorm(params, 1.0);
 *     opt.step();
 *     sched.step();
 * }
 * opt.stateDict().save(Path.of("opt.safetensors"));
 * }</pre>
 *
 * <ul>
 *   <li>{@link org.grad4j.optim.Optimizer}: parameter groups ({@link org.grad4j.optim.ParamGroup}), step, zeroGrad,
 *       state dicts ({@link org.grad4j.optim.OptimizerStateDict}).</li>
 *   <li>{@link org.grad4j.optim.SGD}, {@link org.grad4j.optim.RMSProp}, {@link org.grad4j.optim.Adam},
 *       {@link org.grad4j.optim.AdamW}, {@link org.grad4j.optim.Adagrad}, {@link org.grad4j.optim.Adadelta},
 *       {@link org.grad4j.optim.Adamax}, {@link org.grad4j.optim.NAdam}, {@link org.grad4j.optim.RAdam},
 *       {@link org.grad4j.optim.Rprop}, {@link org.grad4j.optim.LBFGS}: PyTorch's algorithms and defaults, option
 *       names in camelCase ({@code weightDecay} for {@code weight_decay}, {@code beta1}/{@code beta2} for
 *       {@code betas}).</li>
 *   <li>{@link org.grad4j.optim.StepLR}, {@link org.grad4j.optim.MultiStepLR},
 *       {@link org.grad4j.optim.ExponentialLR}, {@link org.grad4j.optim.CosineAnnealingLR},
 *       {@link org.grad4j.optim.PolynomialLR}, {@link org.grad4j.optim.LambdaLR},
 *       {@link org.grad4j.optim.LinearWarmup}, {@link org.grad4j.optim.SequentialLR},
 *       {@link org.grad4j.optim.ReduceLROnPlateau}; per batch {@link org.grad4j.optim.OneCycleLR} and
 *       {@link org.grad4j.optim.CyclicLR}.</li>
 *   <li>{@link org.grad4j.optim.ClipGrad}: clipping by total norm or by value.</li>
 * </ul>
 */
package org.grad4j.optim;
