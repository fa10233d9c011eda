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

    /** An objective over a flat vector: returns f(w) and writes its gradient into {@code grad}. */
    interface Objective {
        double evaluate(double[] w, double[] grad);
    }

    /**
     * torch 1.13 {@code LBFGS.step} with {@code _strong_wolfe} and {@code _cubic_interpolate}, over one flat double
     * vector (the parameters concatenated), written from torch's code line by line with arrays instead of tensors.
     */
    static final class LbfgsRef {
        final double lr, toleranceGrad, toleranceChange;
        final int maxIter, maxEval, historySize;
        final boolean strongWolfe;
        int funcEvals, nIter;
        double[] d, prevFlatGrad;
        double t, hDiag, prevLoss;
        final java.util.List<double[]> oldDirs = new java.util.ArrayList<>();
        final java.util.List<double[]> oldStps = new java.util.ArrayList<>();
        final java.util.List<Double> ro = new java.util.ArrayList<>();

        LbfgsRef(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, int historySize,
                boolean strongWolfe) {
            this.lr = lr;
            this.maxIter = maxIter;
            this.maxEval = maxEval;
            this.toleranceGrad = toleranceGrad;
            this.toleranceChange = toleranceChange;
            this.historySize = historySize;
            this.strongWolfe = strongWolfe;
        }

        static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[i];
            }
            return s;
        }

        static double maxAbs(double[] a) {
            double m = 0;
            for (double v : a) {
                m = Math.max(m, Math.abs(v));
            }
            return m;
        }

        static double[] axpy(double[] x, double alpha, double[] y) {        // x + alpha * y, new array
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = x[i] + alpha * y[i];
            }
            return out;
        }

        /** One step(closure); updates {@code w} in place and returns the first loss. */
        double step(Objective f, double[] w) {
            double[] flatGrad = new double[w.length];
            double origLoss = f.evaluate(w, flatGrad);
            double loss = origLoss;
            int currentEvals = 1;
            funcEvals++;
            if (maxAbs(flatGrad) <= toleranceGrad) {
                return origLoss;
            }
            int n = 0;
            while (n < maxIter) {
                n++;
                nIter++;
                if (nIter == 1) {
                    d = axpy(new double[w.length], -1, flatGrad);
                    oldDirs.clear();
                    oldStps.clear();
                    ro.clear();
                    hDiag = 1;
                } else {
                    double[] y = axpy(flatGrad, -1, prevFlatGrad);
                    double[] s = axpy(new double[w.length], t, d);
                    double ys = dot(y, s);
                    if (ys > 1e-10) {
                        if (oldDirs.size() == historySize) {
                            oldDirs.remove(0);
                            oldStps.remove(0);
                            ro.remove(0);
                        }
                        oldDirs.add(y);
                        oldStps.add(s);
                        ro.add(1 / ys);
                        hDiag = ys / dot(y, y);
                    }
                    int numOld = oldDirs.size();
                    double[] al = new double[numOld];
                    double[] q = axpy(new double[w.length], -1, flatGrad);
                    for (int i = numOld - 1; i >= 0; i--) {
                        al[i] = dot(oldStps.get(i), q) * ro.get(i);
                        q = axpy(q, -al[i], oldDirs.get(i));
                    }
                    double[] r = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        r[i] = q[i] * hDiag;
                    }
                    for (int i = 0; i < numOld; i++) {
                        double be = dot(oldDirs.get(i), r) * ro.get(i);
                        r = axpy(r, al[i] - be, oldStps.get(i));
                    }
                    d = r;
                }
                prevFlatGrad = flatGrad.clone();
                prevLoss = loss;
                if (nIter == 1) {
                    double sumAbs = 0;
                    for (double g : flatGrad) {
                        sumAbs += Math.abs(g);
                    }
                    t = Math.min(1.0, 1.0 / sumAbs) * lr;
                } else {
                    t = lr;
                }
                double gtd = dot(flatGrad, d);
                if (gtd > -toleranceChange) {
                    break;
                }
                int lsEvals = 0;
                boolean optCond = false;
                if (strongWolfe) {
                    double[] x0 = w.clone();
                    double[][] result = strongWolfe(f, x0, t, d, loss, flatGrad, gtd);
                    loss = result[0][0];
                    t = result[0][1];
                    lsEvals = (int) result[0][2];
                    flatGrad = result[1];
                    double[] moved = axpy(x0, t, d);
                    System.arraycopy(moved, 0, w, 0, w.length);
                    optCond = maxAbs(flatGrad) <= toleranceGrad;
                } else {
                    double[] moved = axpy(w, t, d);
                    System.arraycopy(moved, 0, w, 0, w.length);
                    if (n != maxIter) {
                        flatGrad = new double[w.length];
                        loss = f.evaluate(w, flatGrad);
                        optCond = maxAbs(flatGrad) <= toleranceGrad;
                        lsEvals = 1;
                    }
                }
                currentEvals += lsEvals;
                funcEvals += lsEvals;
                if (n == maxIter || currentEvals >= maxEval || optCond) {
                    break;
                }
                double[] step = axpy(new double[w.length], t, d);
                if (maxAbs(step) <= toleranceChange || Math.abs(loss - prevLoss) < toleranceChange) {
                    break;
                }
            }
            return origLoss;
        }

        static double cubic(double x1, double f1, double g1, double x2, double f2, double g2, double[] bounds) {
            double lo = bounds != null ? bounds[0] : Math.min(x1, x2);
            double hi = bounds != null ? bounds[1] : Math.max(x1, x2);
            double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
            double d2sq = d1 * d1 - g1 * g2;
            if (d2sq >= 0) {
                double d2 = Math.sqrt(d2sq);
                double minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
                return Math.min(Math.max(minPos, lo), hi);
            }
            return (lo + hi) / 2;
        }

        /** Returns {{f, t, evals}, g}. */
        static double[][] strongWolfe(Objective obj, double[] x, double t, double[] d, double f, double[] g,
                double gtd) {
            double c1 = 1e-4, c2 = 0.9, tolChange = 1e-9;
            int maxLs = 25;
            double dNorm = maxAbs(d);
            double[] gNew = new double[x.length];
            double fNew = obj.evaluate(axpy(x, t, d), gNew);
            int evals = 1;
            double gtdNew = dot(gNew, d);
            double tPrev = 0, fPrev = f, gtdPrev = gtd;
            double[] gPrev = g.clone();
            boolean done = false;
            int lsIter = 0;
            double[] br = null, brF = null, brGtd = null;
            double[][] brG = null;
            while (lsIter < maxLs) {
                if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
                    br = new double[] {tPrev, t};
                    brF = new double[] {fPrev, fNew};
                    brG = new double[][] {gPrev, gNew};
                    brGtd = new double[] {gtdPrev, gtdNew};
                    break;
                }
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    br = new double[] {t};
                    brF = new double[] {fNew};
                    brG = new double[][] {gNew};
                    done = true;
                    break;
                }
                if (gtdNew >= 0) {
                    br = new double[] {tPrev, t};
                    brF = new double[] {fPrev, fNew};
                    brG = new double[][] {gPrev, gNew};
                    brGtd = new double[] {gtdPrev, gtdNew};
                    break;
                }
                double minStep = t + 0.01 * (t - tPrev);
                double maxStep = t * 10;
                double tmp = t;
                t = cubic(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, new double[] {minStep, maxStep});
                tPrev = tmp;
                fPrev = fNew;
                gPrev = gNew;
                gtdPrev = gtdNew;
                gNew = new double[x.length];
                fNew = obj.evaluate(axpy(x, t, d), gNew);
                evals++;
                gtdNew = dot(gNew, d);
                lsIter++;
            }
            if (lsIter == maxLs) {
                br = new double[] {0, t};
                brF = new double[] {f, fNew};
                brG = new double[][] {g, gNew};
            }
            boolean insufProgress = false;
            int lowPos = brF[0] <= brF[brF.length - 1] ? 0 : 1;
            int highPos = 1 - lowPos;
            while (!done && lsIter < maxLs) {
                if (Math.abs(br[1] - br[0]) * dNorm < tolChange) {
                    break;
                }
                t = cubic(br[0], brF[0], brGtd[0], br[1], brF[1], brGtd[1], null);
                double hi = Math.max(br[0], br[1]);
                double lo = Math.min(br[0], br[1]);
                double eps = 0.1 * (hi - lo);
                if (Math.min(hi - t, t - lo) < eps) {
                    if (insufProgress || t >= hi || t <= lo) {
                        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
                        insufProgress = false;
                    } else {
                        insufProgress = true;
                    }
                } else {
                    insufProgress = false;
                }
                gNew = new double[x.length];
                fNew = obj.evaluate(axpy(x, t, d), gNew);
                evals++;
                gtdNew = dot(gNew, d);
                lsIter++;
                if (fNew > f + c1 * t * gtd || fNew >= brF[lowPos]) {
                    br[highPos] = t;
                    brF[highPos] = fNew;
                    brG[highPos] = gNew;
                    brGtd[highPos] = gtdNew;
                    lowPos = brF[0] <= brF[1] ? 0 : 1;
                    highPos = 1 - lowPos;
                } else {
                    if (Math.abs(gtdNew) <= -c2 * gtd) {
                        done = true;
                    } else if (gtdNew * (br[highPos] - br[lowPos]) >= 0) {
                        br[highPos] = br[lowPos];
                        brF[highPos] = brF[lowPos];
                        brG[highPos] = brG[lowPos];
                        brGtd[highPos] = brGtd[lowPos];
                    }
                    br[lowPos] = t;
                    brF[lowPos] = fNew;
                    brG[lowPos] = gNew;
                    brGtd[lowPos] = gtdNew;
                }
            }
            return new double[][] {{brF[lowPos], br[lowPos], evals}, brG[lowPos]};
        }
    }
}
