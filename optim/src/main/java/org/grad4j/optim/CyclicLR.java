package org.grad4j.optim;

import static org.grad4j.optim.MomentumCycling.notNull;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Cycles each group's learning rate between {@code baseLr} and {@code maxLr}, as
 * {@code torch.optim.lr_scheduler.CyclicLR}: it rises linearly for {@code stepSizeUp} steps, falls for
 * {@code stepSizeDown}, and the amplitude is scaled per cycle ({@link Mode#TRIANGULAR}: 1; {@link Mode#TRIANGULAR2}:
 * halved each cycle; {@link Mode#EXP_RANGE}: {@code gamma^iteration}) or by a function of the caller. Step it after
 * every batch. With {@code cycleMomentum} (the default) the optimizer's {@code momentum} cycles the opposite way,
 * between {@code maxMomentum} and {@code baseMomentum}; as in PyTorch 1.13 this needs an optimizer with a
 * {@code momentum} option ({@link SGD}, {@link RMSProp}); pass {@code cycleMomentum(false)} for the others.
 *
 * <pre>{@code
 * var opt = new SGD(params, SGD.options(0.1).momentum(0.9));
 * var sched = new CyclicLR(opt, CyclicLR.options(0.01, 0.1).stepSizeUp(2000).mode(CyclicLR.Mode.TRIANGULAR2));
 * for (Batch b : batches) {
 *     train(opt, b);
 *     sched.step();
 * }
 * }</pre>
 *
 * <p>With the cycle {@code c = floor(1 + i / (up + down))} and {@code x = 1 + i / (up + down) - c} at step
 * {@code i}: {@code s = x / r} while {@code x <= r = up / (up + down)}, else {@code (x - 1) / (r - 1)}; then
 * {@code lr = baseLr + (maxLr - baseLr) * s * scale} and {@code momentum = maxMomentum - (maxMomentum -
 * baseMomentum) * s * scale}. Construction sets each group's rate to {@code baseLr} (and momentum to
 * {@code baseMomentum}).
 */
public final class CyclicLR extends LRScheduler {
    /** The built-in amplitude scalings. */
    public enum Mode {
        /** Constant amplitude. */
        TRIANGULAR,
        /** Amplitude halved every cycle. */
        TRIANGULAR2,
        /** Amplitude {@code gamma^iteration}. */
        EXP_RANGE
    }

    /** Whether a custom scale function is given the cycle number or the iteration. */
    public enum ScaleMode {
        /** The scale function sees the cycle number (1, 2, ...). */
        CYCLE,
        /** The scale function sees the iteration (0, 1, ...). */
        ITERATIONS
    }

    /** The scheduler's settings; {@link CyclicLR#options(double, double)} gives PyTorch's defaults. */
    public static final class Options {
        private final double[] baseLr;
        private final double[] maxLr;
        private double stepSizeUp = 2000;
        private double stepSizeDown = Double.NaN;
        private Mode mode = Mode.TRIANGULAR;
        private double gamma = 1.0;
        private DoubleUnaryOperator scaleFn;
        private ScaleMode scaleMode = ScaleMode.CYCLE;
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.8};
        private double[] maxMomentum = {0.9};

        Options(double[] baseLr, double[] maxLr) {
            this.baseLr = baseLr == null ? null : baseLr.clone();
            this.maxLr = maxLr == null ? null : maxLr.clone();
        }

        /** Steps of the rising half of a cycle (default 2000). */
        public Options stepSizeUp(double steps) {
            this.stepSizeUp = steps;
            return this;
        }

        /** Steps of the falling half of a cycle (default: {@code stepSizeUp}). */
        public Options stepSizeDown(double steps) {
            this.stepSizeDown = steps;
            return this;
        }

        /** TRIANGULAR (default), TRIANGULAR2 or EXP_RANGE; ignored when a {@link #scaleFn} is given. */
        public Options mode(Mode mode) {
            this.mode = notNull(mode, "CyclicLR.Options.mode", "mode");
            return this;
        }

        /** The base of EXP_RANGE's scaling (default 1). */
        public Options gamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /** A custom amplitude scaling of the cycle number or the iteration, replacing {@link #mode}. */
        public Options scaleFn(DoubleUnaryOperator scaleFn, ScaleMode scaleMode) {
            this.scaleFn = notNull(scaleFn, "CyclicLR.Options.scaleFn", "scaleFn");
            this.scaleMode = notNull(scaleMode, "CyclicLR.Options.scaleFn", "scaleMode");
            return this;
        }

        /** Cycle the optimizer's momentum inversely to the rate (default true). */
        public Options cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** The lower momentum, reached at the peak rate: one value or one per group (default 0.8). */
        public Options baseMomentum(double... baseMomentum) {
            this.baseMomentum = baseMomentum == null ? null : baseMomentum.clone();
            return this;
        }

        /** The upper momentum, at the base rate: one value or one per group (default 0.9). */
        public Options maxMomentum(double... maxMomentum) {
            this.maxMomentum = maxMomentum == null ? null : maxMomentum.clone();
            return this;
        }
    }

    /** Settings cycling every group between {@code baseLr} and {@code maxLr}, PyTorch's defaults otherwise. */
    public static Options options(double baseLr, double maxLr) {
        return new Options(new double[] {baseLr}, new double[] {maxLr});
    }

    /** Settings with per-group bounds (or a single value for all groups). */
    public static Options options(double[] baseLr, double[] maxLr) {
        return new Options(baseLr, maxLr);
    }

    private final double[] maxLrs;
    private final double totalSize;
    private final double stepRatio;
    private final Mode mode;
    private final double gamma;
    private final DoubleUnaryOperator scaleFn;
    private final ScaleMode scaleMode;
    private final Option<Double> momentum;
    private final double[] baseMomentums;
    private final double[] maxMomentums;

    /** A cyclic schedule with {@code options}; sets each group's rate (and momentum) to its base value. */
    public CyclicLR(Optimizer optimizer, Options options) {
        super(prepare(optimizer, options));
        int groups = baseLrs.length;
        double[] base = MomentumCycling.perGroup("CyclicLR", "baseLr", options.baseLr, groups);
        System.arraycopy(base, 0, baseLrs, 0, groups);
        this.maxLrs = MomentumCycling.perGroup("CyclicLR", "maxLr", options.maxLr, groups);
        for (double v : maxLrs) {
            if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                throw invalid("CyclicLR", "maxLr", v, "a finite maxLr >= 0");
            }
        }
        double up = options.stepSizeUp;
        double down = Double.isNaN(options.stepSizeDown) ? up : options.stepSizeDown;
        if (!(up > 0 && up < Double.POSITIVE_INFINITY)) {
            throw invalid("CyclicLR", "stepSizeUp", up, "a finite stepSizeUp > 0");
        }
        if (!(down >= 0 && down < Double.POSITIVE_INFINITY)) {
            throw invalid("CyclicLR", "stepSizeDown", down, "a finite stepSizeDown >= 0");
        }
        if (!(options.gamma > 0 && options.gamma < Double.POSITIVE_INFINITY)) {
            throw invalid("CyclicLR", "gamma", options.gamma, "a finite gamma > 0");
        }
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
        this.mode = options.mode;
        this.gamma = options.gamma;
        this.scaleFn = options.scaleFn;
        this.scaleMode = options.scaleFn != null ? options.scaleMode
                : mode == Mode.EXP_RANGE ? ScaleMode.ITERATIONS : ScaleMode.CYCLE;
        if (options.cycleMomentum) {
            momentum = MomentumCycling.find(optimizer, "momentum");
            if (momentum == null) {
                throw new IllegalArgumentException("CyclicLR: " + optimizer.name() + " has no momentum option, so"
                        + " it cannot cycle momentum; pass cycleMomentum(false) (PyTorch 1.13's CyclicLR cycles"
                        + " only an option named momentum)");
            }
            double[] baseM = MomentumCycling.perGroup("CyclicLR", "baseMomentum", options.baseMomentum, groups);
            this.maxMomentums = MomentumCycling.perGroup("CyclicLR", "maxMomentum", options.maxMomentum, groups);
            List<ParamGroup> g = optimizer.paramGroups();
            for (int i = 0; i < groups; i++) {
                g.get(i).set(momentum, baseM[i]);
            }
            this.baseMomentums = baseM;
        } else {
            momentum = null;
            baseMomentums = null;
            maxMomentums = null;
        }
        initialStep();
    }

    /** Checks the base rates and sets them as each group's rate before the base class reads the rates. */
    private static Optimizer prepare(Optimizer optimizer, Options options) {
        notNull(optimizer, "CyclicLR", "optimizer");
        if (options == null) {
            throw new IllegalArgumentException("CyclicLR: options is null; use CyclicLR.options(baseLr, maxLr)");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] base = MomentumCycling.perGroup("CyclicLR", "baseLr", options.baseLr, groups.size());
        for (int i = 0; i < base.length; i++) {
            if (!(base[i] >= 0 && base[i] < Double.POSITIVE_INFINITY)) {
                throw invalid("CyclicLR", "baseLr", base[i], "a finite baseLr >= 0");
            }
        }
        for (int i = 0; i < base.length; i++) {
            groups.get(i).setLr(base[i]);
        }
        return optimizer;
    }

    private double scale(double cycle) {
        double x = scaleMode == ScaleMode.CYCLE ? cycle : lastEpoch;
        if (scaleFn != null) {
            return scaleFn.applyAsDouble(x);
        }
        return switch (mode) {
            case TRIANGULAR -> 1.0;
            case TRIANGULAR2 -> 1 / Math.pow(2.0, x - 1);
            case EXP_RANGE -> Math.pow(gamma, x);
        };
    }

    @Override
    protected double[] computeLr() {
        double cycle = Math.floor(1 + lastEpoch / totalSize);
        double x = 1.0 + lastEpoch / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale = scale(cycle);
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            double baseHeight = (maxLrs[i] - baseLrs[i]) * scaleFactor;
            lrs[i] = baseLrs[i] + baseHeight * scale;
        }
        if (momentum != null) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < lrs.length; i++) {
                double baseHeight = (maxMomentums[i] - baseMomentums[i]) * scaleFactor;
                groups.get(i).set(momentum, maxMomentums[i] - baseHeight * scale);
            }
        }
        return lrs;
    }
}
