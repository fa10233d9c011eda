/**
 * Neural-network building blocks composed from {@code org.grad4j.core} tensor ops, in the shape of
 * {@code torch.nn}: no layer or loss here has a hand-written backward, so a user's own layer or loss is written
 * exactly as ours are.
 *
 * <pre>{@code
 * Grad4j.manualSeed(0);                 // initial weights, dropout and data shuffling repeat
 * Sequential model = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 1));
 * Tensor loss = Losses.bceWithLogits(model.forward(x), y);
 * model.zeroGrad();
 * loss.backward();
 * Grad.noGrad(() -> {
 *     for (Tensor p : model.parameters()) p.subInPlace(p.grad().mul(0.5));
 * });
 * model.save(Path.of("xor.safetensors"));
 * }</pre>
 *
 * Import {@code org.grad4j.nn.Module} by name: {@code java.lang.Module} makes the bare name ambiguous under a
 * wildcard import.
 *
 * <ul>
 *   <li>{@link org.grad4j.nn.Module}: the base class; parameters, buffers and children are found from fields
 *       (declaration order), with dotted names, train/eval, {@code zeroGrad}, printing, state dicts and
 *       checkpoints. {@link org.grad4j.nn.Sequential} chains modules.</li>
 *   <li>Layers: {@link org.grad4j.nn.Linear} (alias {@link org.grad4j.nn.Dense}), {@link org.grad4j.nn.Dropout},
 *       {@link org.grad4j.nn.Flatten}, {@link org.grad4j.nn.Identity}.</li>
 *   <li>Activations: static functions in {@link org.grad4j.nn.Activations} and modules ({@link org.grad4j.nn.ReLU},
 *       {@link org.grad4j.nn.LeakyReLU}, {@link org.grad4j.nn.Sigmoid}, {@link org.grad4j.nn.Tanh},
 *       {@link org.grad4j.nn.Softmax}, {@link org.grad4j.nn.LogSoftmax}, {@link org.grad4j.nn.GELU},
 *       {@link org.grad4j.nn.SiLU}, {@link org.grad4j.nn.Softplus}).</li>
 *   <li>Losses: static functions in {@link org.grad4j.nn.Losses} and modules ({@link org.grad4j.nn.MSELoss},
 *       {@link org.grad4j.nn.L1Loss}, {@link org.grad4j.nn.HuberLoss}, {@link org.grad4j.nn.BCELoss},
 *       {@link org.grad4j.nn.BCEWithLogitsLoss}, {@link org.grad4j.nn.CrossEntropyLoss},
 *       {@link org.grad4j.nn.NLLLoss}), with a {@link org.grad4j.nn.Reduction}.</li>
 *   <li>{@link org.grad4j.nn.Init}: seeded in-place initialisers with PyTorch's fans and gains.</li>
 *   <li>{@link org.grad4j.nn.StateDicts}: named tensors to and from safetensors files (the codec is in
 *       {@code org.grad4j.core.io}).</li>
 * </ul>
 */
package org.grad4j.nn;
