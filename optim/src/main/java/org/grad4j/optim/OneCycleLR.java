package org.grad4j.optim;

import java.util.List;

/**
 * The one-cycle policy, as {@code torch.optim.lr_scheduler.OneCycleLR}: each group's rate anneals from
 * {@code maxLr / divFactor} up to {@code maxLr} over the first {@code pctStart} of {@code totalSteps}, then down to
 * {@code maxLr / divFactor / finalDivFactor}; with {@code threePhase} it first comes back down symmetrically to the
 * initial rate and only then anneals to the minimum. Annealing is cosine ({@link Anneal#COS}, the default) or
 * linear. With {@code cycleMomentum} (the default) the momentum moves the opposite way between
 * {@code maxMomentum} and {@code baseMomentum}: the optimizer's {@code beta1} if it has one (Adam, AdamW, Adamax,
 * NAdam, RAdam), else its {@code momentum} (SGD, RMSProp). Step it after every batch, {@code totalSteps} times at
 * most.
 *
 * <pre>{@code
 * var opt = new AdamW(params, AdamW.options());
 * var sched = new OneCycleLR(opt, OneCycleLR.options(0.01, epochs * batchesPerEpoch));
 * }</pre>
 *
 * <p>The phase boundaries are PyTorch's: the first phase ends at step {@code pctStart * totalSteps - 1}, the middle
 * one (three-phase) at {@code 2 * pctStart * totalSteps - 2}, the last at {@code totalSteps - 1}; within a phase
 * from step {@code a} to {@code b} the fraction {@code (step - a) / (b - a)} is annealed. Construction sets each
 * group's initial rate ({@code initialLr}) to {@code maxLr / divFactor} and its momentum to {@code maxMomentum}.
 * The {@code totalSteps}-th step lies one past the last phase, as in PyTorch; there linear annealing extrapolates
 * below the final rate, usually below zero, where PyTorch sets a negative rate and this scheduler sets 0 (the only
 * difference from PyTorch's sequence).
 */
public final class OneCycleLR extends LRScheduler {
    /** How a phase moves from its start value to its end value. */
    public enum Anneal {
        /** Half a cosine ({@code "cos"}). */
        COS,
        /** A straight line ({@code "linear"}). */
        LINEAR
    }

    /** The scheduler's settings; {@link OneCycleLR#options(double, int)} gives PyTorch's defaults. */
    public static final class Options {
        private final double[] maxLr;
        private final int totalSteps;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.85};
        private double[] maxMomentum = {0.95};
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        Options(double[] maxLr, int totalSteps) {
            this.maxLr = maxLr == null ? null : maxLr.clone();
            this.totalSteps = totalSteps;
        }

        /** The fraction of the steps spent raising the rate (default 0.3). */
        public Options pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /** COS (default) or LINEAR. */
        public Options anneal(Anneal anneal) {
            this.anneal = MomentumCycling.notNull(anneal, "OneCycleLR.Options.anneal", "anneal");
            return this;
        }

        /** Cycle the momentum (or beta1) inversely to the rate (default true). */
        public Options cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** The momentum at the peak rate: one value or one per group (default 0.85). */
        public Options baseMomentum(double... baseMomentum) {
            this.baseMomentum = baseMomentum == null ? null : baseMomentum.clone();
            return this;
        }

        /** The momentum at the lowest rates: one value or one per group (default 0.95). */
        public Options maxMomentum(double... maxMomentum) {
            this.maxMomentum = maxMomentum == null ? null : maxMomentum.clone();
            return this;
        }

        /** The initial rate is {@code maxLr / divFactor} (default 25). */
        public Options divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** The final rate is {@code initialLr / finalDivFactor} (default 1e4). */
        public Options finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Come back down to the initial rate before annealing to the minimum (default false). */
        public Options threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }
    }

    /** Settings for {@code totalSteps} steps peaking at {@code maxLr} in every group, PyTorch's defaults otherwise. */
    public static Options options(double maxLr, int totalSteps) {
        return new Options(new double[] {maxLr}, totalSteps);
    }

    /** Settings with a peak rate per group (or one for all). */
    public static Options options(double[] maxLr, int totalSteps) {
        return new Options(maxLr, totalSteps);
    }

    /** Settings for {@code epochs * stepsPerEpoch} steps (PyTorch's {@code epochs} and {@code steps_per_epoch}). */
    public static Options options(double maxLr, int epochs, int stepsPerEpoch) {
        if (epochs < 1 || stepsPerEpoch < 1) {
            throw invalid("OneCycleLR", epochs < 1 ? "epochs" : "stepsPerEpoch", epochs < 1 ? epochs : stepsPerEpoch,
                    "a positive integer");
        }
        long total = (long) epochs * stepsPerEpoch;
        if (total > Integer.MAX_VALUE) {
            throw invalid("OneCycleLR", "epochs * stepsPerEpoch", total, "at most " + Integer.MAX_VALUE + " steps");
        }
        return new Options(new double[] {maxLr}, (int) total);
    }

    private record Phase(double endStep, int startLr, int endLr, int startMomentum, int endMomentum) {
    }

    // the values a phase moves between, by index: the initial, peak and final rate; the max and base momentum
    private static final int INITIAL = 0;
    private static final int MAX = 1;
    private static final int MIN = 2;
    private static final int MAX_MOMENTUM = 0;
    private static final int BASE_MOMENTUM = 1;

    private final int totalSteps;
    private final Anneal anneal;
    private final List<Phase> phases;
    private final double[][] lrPoints;
    private final Option<Double> momentum;
    private final double[][] momentumPoints;

    /** A one-cycle schedule with {@code options}. */
    public OneCycleLR(Optimizer optimizer, Options options) {
        super(prepare(optimizer, options));
        int groups = baseLrs.length;
        this.totalSteps = options.totalSteps;
        this.anneal = options.anneal;
        double steps = totalSteps;
        double pct = options.pctStart;
        this.phases = options.threePhase
                ? List.of(new Phase(pct * steps - 1, INITIAL, MAX, MAX_MOMENTUM, BASE_MOMENTUM),
                        new Phase(2 * pct * steps - 2, MAX, INITIAL, BASE_MOMENTUM, MAX_MOMENTUM),
                        new Phase(steps - 1, INITIAL, MIN, MAX_MOMENTUM, MAX_MOMENTUM))
                : List.of(new Phase(pct * steps - 1, INITIAL, MAX, MAX_MOMENTUM, BASE_MOMENTUM),
                        new Phase(steps - 1, MAX, MIN, BASE_MOMENTUM, MAX_MOMENTUM));
        if (phases.get(0).endStep == 0) {
            throw invalid("OneCycleLR", "pctStart", pct, "pctStart * totalSteps != 1 (totalSteps = " + totalSteps
                    + "): the first phase would last zero steps");
        }
        double[] maxLrs = MomentumCycling.perGroup("OneCycleLR", "maxLr", options.maxLr, groups);
        lrPoints = new double[groups][];
        for (int i = 0; i < groups; i++) {
            double initial = maxLrs[i] / options.divFactor;
            lrPoints[i] = new double[] {initial, maxLrs[i], initial / options.finalDivFactor};
        }
        if (options.cycleMomentum) {
            Option<Double> beta1 = MomentumCycling.find(optimizer, "beta1");
            momentum = beta1 != null ? beta1 : MomentumCycling.find(optimizer, "momentum");
            if (momentum == null) {
                throw new IllegalArgumentException("OneCycleLR: " + optimizer.name() + " has neither a beta1 nor a"
                        + " momentum option, so it cannot cycle momentum; pass cycleMomentum(false)");
            }
            double[] maxM = MomentumCycling.perGroup("OneCycleLR", "maxMomentum", options.maxMomentum, groups);
            double[] baseM = MomentumCycling.perGroup("OneCycleLR", "baseMomentum", options.baseMomentum, groups);
            momentumPoints = new double[groups][];
            List<ParamGroup> g = optimizer.paramGroups();
            for (int i = 0; i < groups; i++) {
                momentumPoints[i] = new double[] {maxM[i], baseM[i]};
                g.get(i).set(momentum, maxM[i]);
            }
        } else {
            momentum = null;
            momentumPoints = null;
        }
        initialStep();
    }

    /** Checks the settings and sets each group's initial rate before the base class reads it. */
    private static Optimizer prepare(Optimizer optimizer, Options options) {
        MomentumCycling.notNull(optimizer, "OneCycleLR", "optimizer");
        if (options == null) {
            throw new IllegalArgumentException("OneCycleLR: options is null; use OneCycleLR.options(maxLr, totalSteps)");
        }
        if (options.totalSteps < 1) {
            throw invalid("OneCycleLR", "totalSteps", options.totalSteps, "a positive integer");
        }
        if (!(options.pctStart >= 0 && options.pctStart <= 1)) {
            throw invalid("OneCycleLR", "pctStart", options.pctStart, "0 <= pctStart <= 1");
        }
        if (!(options.divFactor > 0 && options.divFactor < Double.POSITIVE_INFINITY)) {
            throw invalid("OneCycleLR", "divFactor", options.divFactor, "a finite divFactor > 0");
        }
        if (!(options.finalDivFactor > 0 && options.finalDivFactor < Double.POSITIVE_INFINITY)) {
            throw invalid("OneCycleLR", "finalDivFactor", options.finalDivFactor, "a finite finalDivFactor > 0");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = MomentumCycling.perGroup("OneCycleLR", "maxLr", options.maxLr, groups.size());
        for (double v : maxLrs) {
            if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) {
                throw invalid("OneCycleLR", "maxLr", v, "a finite maxLr >= 0");
            }
        }
        for (int i = 0; i < maxLrs.length; i++) {
            groups.get(i).initialLr = maxLrs[i] / options.divFactor;
        }
        return optimizer;
    }

    private double anneal(double start, double end, double pct) {
        return anneal == Anneal.COS
                ? end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1)
                : (end - start) * pct + start;
    }

    /** Advances one step; throws once {@code totalSteps} steps have been taken, as PyTorch does. */
    @Override
    public void step() {
        if (lastEpoch + 1 > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (lastEpoch + 2) + " times; the schedule"
                    + " has totalSteps = " + totalSteps);
        }
        super.step();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) {
            double start = 0;
            for (int k = 0; k < phases.size(); k++) {
                Phase phase = phases.get(k);
                if (lastEpoch <= phase.endStep || k == phases.size() - 1) {
                    if (phase.endStep == start) {
                        throw new IllegalStateException("OneCycleLR: phase " + k + " lasts zero steps at step "
                                + lastEpoch + " (pctStart * totalSteps makes it empty); choose another pctStart");
                    }
                    double pct = (lastEpoch - start) / (phase.endStep - start);
                    // step totalSteps lies past the last phase: linear annealing extrapolates there, below the
                    // final rate and usually below 0, which PyTorch sets and an optimizer here rejects
                    lrs[i] = Math.max(0, anneal(lrPoints[i][phase.startLr], lrPoints[i][phase.endLr], pct));
                    if (momentum != null) {
                        groups.get(i).set(momentum, anneal(momentumPoints[i][phase.startMomentum],
                                momentumPoints[i][phase.endMomentum], pct));
                    }
                    break;
                }
                start = phase.endStep;
            }
        }
        return lrs;
    }
}
