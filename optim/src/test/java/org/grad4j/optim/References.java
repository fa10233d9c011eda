package org.grad4j.optim;

/**
 * Independent plain-double transcriptions of torch.optim 1.13's update rules (the algorithm boxes of the docs, as
 * the code {@code _single_tensor_sgd}, {@code _single_tensor_adam}, {@code _single_tensor_adamw},
 * {@code _single_tensor_rmsprop} implements them). Two places where the 1.13 docstring boxes and the code differ
 * follow the code, which is what runs (and what the torch-generated constants in TorchReferenceTest confirm):
 * SGD's {@code maximize} negates the gradient before weight decay and momentum (the box adds {@code gamma * g} at
 * the end), and AMSGrad keeps the max of the raw second moment {@code v}, bias-correcting it afterwards (the box
 * takes the max of the bias-corrected {@code v-hat}).
 */
final class References {
    private References() {
    }

    static final class Sgd implements TestProblem.Reference {
        final double lr, momentum, dampening, weightDecay;
        final boolean nesterov, maximize;
        double[] b;

        Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
            this.lr = lr;
            this.momentum = momentum;
            this.dampening = dampening;
            this.weightDecay = weightDecay;
            this.nesterov = nesterov;
            this.maximize = maximize;
        }

        @Override
        public void step(double[] p, double[] grad) {
            for (int i = 0; i < p.length; i++) {
                double g = maximize ? -grad[i] : grad[i];
                if (weightDecay != 0) {
                    g = g + weightDecay * p[i];
                }
                if (momentum != 0) {
                    if (b == null) {
                        b = new double[p.length];
                        java.util.Arrays.fill(b, Double.NaN);
                    }
                    if (Double.isNaN(b[i])) {
                        b[i] = g;                                          // t = 1: no dampening
                    } else {
                        b[i] = momentum * b[i] + (1 - dampening) * g;
                    }
                    g = nesterov ? g + momentum * b[i] : b[i];
                }
                p[i] = p[i] - lr * g;
            }
        }
    }

    static final class AdamRef implements TestProblem.Reference {
        final double lr, beta1, beta2, eps, weightDecay;
        final boolean amsgrad, maximize, decoupled;
        double[] m, v, vMax;
        int t;

        AdamRef(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                boolean maximize, boolean decoupled) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.amsgrad = amsgrad;
            this.maximize = maximize;
            this.decoupled = decoupled;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (m == null) {
                m = new double[p.length];
                v = new double[p.length];
                vMax = new double[p.length];
            }
            t++;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < p.length; i++) {
                double g = maximize ? -grad[i] : grad[i];
                if (decoupled) {
                    p[i] = p[i] * (1 - lr * weightDecay);                 // AdamW: theta <- theta - gamma lambda theta
                } else if (weightDecay != 0) {
                    g = g + weightDecay * p[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double second = v[i];
                if (amsgrad) {
                    vMax[i] = Math.max(vMax[i], v[i]);
                    second = vMax[i];
                }
                double mHat = m[i] / bc1;
                double denom = Math.sqrt(second) / Math.sqrt(bc2) + eps;   // = sqrt(v-hat) + eps
                p[i] = p[i] - lr * mHat / denom;
            }
        }
    }

    static final class RmsProp implements TestProblem.Reference {
        final double lr, alpha, eps, weightDecay, momentum;
        final boolean centered, maximize;
        double[] v, b, gAve;

        RmsProp(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                boolean maximize) {
            this.lr = lr;
            this.alpha = alpha;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.momentum = momentum;
            this.centered = centered;
            this.maximize = maximize;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (v == null) {
                v = new double[p.length];
                b = new double[p.length];
                gAve = new double[p.length];
            }
            for (int i = 0; i < p.length; i++) {
                double g = maximize ? -grad[i] : grad[i];
                if (weightDecay != 0) {
                    g = g + weightDecay * p[i];
                }
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double vTilde = v[i];
                if (centered) {
                    gAve[i] = gAve[i] * alpha + (1 - alpha) * g;
                    vTilde = vTilde - gAve[i] * gAve[i];
                }
                if (momentum > 0) {
                    b[i] = momentum * b[i] + g / (Math.sqrt(vTilde) + eps);
                    p[i] = p[i] - lr * b[i];
                } else {
                    p[i] = p[i] - lr * g / (Math.sqrt(vTilde) + eps);
                }
            }
        }
    }

    /** torch 1.13 {@code _single_tensor_adagrad} (dense). */
    static final class AdagradRef implements TestProblem.Reference {
        final double lr, lrDecay, weightDecay, initial, eps;
        final boolean maximize;
        double[] sum;
        int t;

        AdagradRef(double lr, double lrDecay, double weightDecay, double initial, double eps, boolean maximize) {
            this.lr = lr;
            this.lrDecay = lrDecay;
            this.weightDecay = weightDecay;
            this.initial = initial;
            this.eps = eps;
            this.maximize = maximize;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (sum == null) {
                sum = new double[p.length];
                java.util.Arrays.fill(sum, initial);
            }
            t++;
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < p.length; i++) {
                double g = maximize ? -grad[i] : grad[i];
                g = g + weightDecay * p[i];
                sum[i] = sum[i] + g * g;
                p[i] = p[i] - clr * g / (Math.sqrt(sum[i]) + eps);
            }
        }
    }

    /** torch 1.13 {@code _single_tensor_adadelta}. */
    static final class AdadeltaRef implements TestProblem.Reference {
        final double lr, rho, eps, weightDecay;
        final boolean maximize;
        double[] v, u;

        AdadeltaRef(double lr, double rho, double eps, double weightDecay, boolean maximize) {
            this.lr = lr;
            this.rho = rho;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.maximize = maximize;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (v == null) {
                v = new double[p.length];
                u = new double[p.length];
            }
            for (int i = 0; i < p.length; i++) {
                double g = (maximize ? -grad[i] : grad[i]) + weightDecay * p[i];
                v[i] = rho * v[i] + (1 - rho) * g * g;
                double delta = Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps) * g;
                u[i] = rho * u[i] + (1 - rho) * delta * delta;
                p[i] = p[i] - lr * delta;
            }
        }
    }

    /** torch 1.13 {@code _single_tensor_adamax}. */
    static final class AdamaxRef implements TestProblem.Reference {
        final double lr, beta1, beta2, eps, weightDecay;
        final boolean maximize;
        double[] m, u;
        int t;

        AdamaxRef(double lr, double beta1, double beta2, double eps, double weightDecay, boolean maximize) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.maximize = maximize;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (m == null) {
                m = new double[p.length];
                u = new double[p.length];
            }
            t++;
            for (int i = 0; i < p.length; i++) {
                double g = (maximize ? -grad[i] : grad[i]) + weightDecay * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                u[i] = Math.max(beta2 * u[i], Math.abs(g) + eps);
                p[i] = p[i] - lr / (1 - Math.pow(beta1, t)) * m[i] / u[i];
            }
        }
    }

    /**
     * torch 1.13 {@code _single_tensor_nadam}, including its {@code mu_product_next = mu_product * mu * mu_next}
     * (the docstring box has {@code mu_product * mu_next}).
     */
    static final class NAdamRef implements TestProblem.Reference {
        final double lr, beta1, beta2, eps, weightDecay, momentumDecay;
        double[] m, v;
        double muProduct = 1;
        int t;

        NAdamRef(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.momentumDecay = momentumDecay;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (m == null) {
                m = new double[p.length];
                v = new double[p.length];
            }
            t++;
            double mu = beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
            double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
            muProduct *= mu;
            double muProductNext = muProduct * mu * muNext;
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < p.length; i++) {
                double g = grad[i] + weightDecay * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double denom = Math.sqrt(v[i] / bc2) + eps;
                p[i] = p[i] - lr * (1 - mu) / (1 - muProduct) * g / denom
                        - lr * muNext / (1 - muProductNext) * m[i] / denom;
            }
        }
    }

    /** torch 1.13 {@code _single_tensor_radam}. */
    static final class RAdamRef implements TestProblem.Reference {
        final double lr, beta1, beta2, eps, weightDecay;
        double[] m, v;
        int t;

        RAdamRef(double lr, double beta1, double beta2, double eps, double weightDecay) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (m == null) {
                m = new double[p.length];
                v = new double[p.length];
            }
            t++;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            double rhoInf = 2 / (1 - beta2) - 1;
            double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
            for (int i = 0; i < p.length; i++) {
                double g = grad[i] + weightDecay * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / bc1;
                if (rhoT > 5) {
                    double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                    p[i] = p[i] - lr * mHat * Math.sqrt(bc2) / (Math.sqrt(v[i]) + eps) * r;
                } else {
                    p[i] = p[i] - lr * mHat;
                }
            }
        }
    }

    /** torch 1.13 {@code _single_tensor_rprop}. */
    static final class RpropRef implements TestProblem.Reference {
        final double lr, etaMinus, etaPlus, min, max;
        final boolean maximize;
        double[] prev, stepSize;

        RpropRef(double lr, double etaMinus, double etaPlus, double min, double max, boolean maximize) {
            this.lr = lr;
            this.etaMinus = etaMinus;
            this.etaPlus = etaPlus;
            this.min = min;
            this.max = max;
            this.maximize = maximize;
        }

        @Override
        public void step(double[] p, double[] grad) {
            if (prev == null) {
                prev = new double[p.length];
                stepSize = new double[p.length];
                java.util.Arrays.fill(stepSize, lr);
            }
            for (int i = 0; i < p.length; i++) {
                double g = maximize ? -grad[i] : grad[i];
                double s = g * prev[i];
                double factor = s > 0 ? etaPlus : s < 0 ? etaMinus : 1;
                stepSize[i] = Math.min(Math.max(stepSize[i] * factor, min), max);
                if (s < 0) {
                    g = 0;
                }
                p[i] = p[i] - Math.signum(g) * stepSize[i];
                prev[i] = g;
            }
        }
    }
}
