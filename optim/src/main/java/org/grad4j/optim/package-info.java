/** Optimizers, learning-rate schedulers and gradient clipping with the update formulas of {@code torch.optim}. */
package org.grad4j.optim;
