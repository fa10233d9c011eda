package org.grad4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rate when a metric has stopped improving, as
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}. After more than {@code patience} consecutive epochs without
 * a significant improvement, each group's rate becomes {@code max(lr * factor, minLr)} (a change smaller than
 * {@code eps} is skipped), then {@code cooldown} epochs pass during which bad epochs are not counted.
 *
 * <pre>{@code
 * var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(0.5).patience(3).minLr(1e-5));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);
 *     plateau.step(validationLoss());
 * }
 * }</pre>
 *
 * <p>Improvement, for the best value so far {@code best}: mode MIN, threshold REL: {@code metric < best * (1 -
 * threshold)}; MIN, ABS: {@code metric < best - threshold}; MAX, REL: {@code metric > best * (1 + threshold)};
 * MAX, ABS: {@code metric > best + threshold}. A NaN metric never improves.
 */
public final class ReduceLROnPlateau {
    /** Whether the metric should go down (a loss) or up (an accuracy). */
    public enum Mode {
        /** The metric should decrease (a loss). */
        MIN,
        /** The metric should increase (an accuracy). */
        MAX
    }

    /** Whether {@code threshold} is relative to the best value or an absolute amount. */
    public enum ThresholdMode {
        /** {@code threshold} is a fraction of the best value. */
        REL,
        /** {@code threshold} is an absolute amount. */
        ABS
    }

    /** The scheduler's settings, with PyTorch's defaults. */
    public static final class Options {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown = 0;
        private double[] minLr = {0};
        private double eps = 1e-8;

        Options() {
        }

        /** MIN (default) or MAX. */
        public Options mode(Mode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("ReduceLROnPlateau.Options.mode: mode is null");
            }
            this.mode = mode;
            return this;
        }

        /** Multiplier of the rate on a plateau, in [0, 1) (default 0.1). */
        public Options factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Bad epochs tolerated before reducing (default 10). */
        public Options patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Minimal significant improvement (default 1e-4), relative or absolute per {@link #thresholdMode}. */
        public Options threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** REL (default) or ABS. */
        public Options thresholdMode(ThresholdMode thresholdMode) {
            if (thresholdMode == null) {
                throw new IllegalArgumentException("ReduceLROnPlateau.Options.thresholdMode: thresholdMode is null");
            }
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs after a reduction during which bad epochs are ignored (default 0). */
        public Options cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** Lower bound of the rate: one value for all groups, or one per group (default 0). */
        public Options minLr(double... minLr) {
            if (minLr == null || minLr.length == 0) {
                throw new IllegalArgumentException("ReduceLROnPlateau.Options.minLr: give one value, or one per"
                        + " param group");
            }
            this.minLr = minLr.clone();
            return this;
        }

        /** Smallest change of the rate that is applied (default 1e-8). */
        public Options eps(double eps) {
            this.eps = eps;
            return this;
        }
    }

    /** Settings with PyTorch's defaults. */
    public static Options options() {
        return new Options();
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr;

    /** With PyTorch's defaults (mode MIN, factor 0.1, patience 10, threshold 1e-4 REL). */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, options());
    }

    /** With the given settings ({@link #options()} for PyTorch's defaults). */
    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        String who = "ReduceLROnPlateau";
        if (optimizer == null || options == null) {
            throw new IllegalArgumentException(who + ": " + (optimizer == null ? "optimizer" : "options")
                    + " is null");
        }
        this.optimizer = optimizer;
        if (!(options.factor >= 0 && options.factor < 1)) {
            throw LRScheduler.invalid(who, "factor", options.factor, "0 <= factor < 1");
        }
        if (options.patience < 0) {
            throw LRScheduler.invalid(who, "patience", options.patience, "patience >= 0");
        }
        if (options.cooldown < 0) {
            throw LRScheduler.invalid(who, "cooldown", options.cooldown, "cooldown >= 0");
        }
        if (!(options.threshold >= 0 && options.threshold < Double.POSITIVE_INFINITY)) {
            throw LRScheduler.invalid(who, "threshold", options.threshold, "a finite threshold >= 0");
        }
        if (!(options.eps >= 0)) {
            throw LRScheduler.invalid(who, "eps", options.eps, "eps >= 0");
        }
        int groups = optimizer.paramGroups().size();
        if (options.minLr.length != 1 && options.minLr.length != groups) {
            throw LRScheduler.invalid(who, "minLr", java.util.Arrays.toString(options.minLr),
                    "one value, or one per param group (" + groups + ")");
        }
        minLrs = new double[groups];
        for (int i = 0; i < groups; i++) {
            minLrs[i] = options.minLr.length == 1 ? options.minLr[0] : options.minLr[i];
            if (!(minLrs[i] >= 0)) {
                throw LRScheduler.invalid(who, "minLr", minLrs[i], "minLr >= 0");
            }
        }
        mode = options.mode;
        factor = options.factor;
        patience = options.patience;
        threshold = options.threshold;
        thresholdMode = options.thresholdMode;
        cooldown = options.cooldown;
        eps = options.eps;
        best = worst();
        lastLr = currentLrs();
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records one epoch's metric and reduces the rates if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private boolean isBetter(double a, double best) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1.0 - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.0) : a > best + threshold;
        };
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size() && i < minLrs.length; i++) {
            double old = groups.get(i).lr();
            double next = Math.max(old * factor, minLrs[i]);
            if (old - next > eps) {
                groups.get(i).setLr(next);
            }
        }
    }

    private double[] currentLrs() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /** The groups' rates after the last step. */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The best metric seen so far (infinite before the first step). */
    public double best() {
        return best;
    }

    /** Consecutive epochs without improvement, as counted now. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** Epochs of cooldown left. */
    public int cooldownCounter() {
        return cooldownCounter;
    }

    /** How many times {@link #step} was called. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The scheduler's progress as strings, to save next to the optimizer's state. */
    public Map<String, String> stateDict() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("best", Double.toString(best));
        m.put("numBadEpochs", Integer.toString(numBadEpochs));
        m.put("cooldownCounter", Integer.toString(cooldownCounter));
        m.put("lastEpoch", Integer.toString(lastEpoch));
        return m;
    }

    /** Restores progress saved by {@link #stateDict()}; nothing changes if a value is missing or malformed. */
    public void loadStateDict(Map<String, String> state) {
        String who = "ReduceLROnPlateau.loadStateDict";
        if (state == null) {
            throw new IllegalArgumentException(who + ": the state is null");
        }
        double b = parse(who, state, "best", Double::parseDouble);
        int bad = parse(who, state, "numBadEpochs", Integer::parseInt);
        int cool = parse(who, state, "cooldownCounter", Integer::parseInt);
        int epoch = parse(who, state, "lastEpoch", Integer::parseInt);
        best = b;
        numBadEpochs = bad;
        cooldownCounter = cool;
        lastEpoch = epoch;
        lastLr = currentLrs();
    }

    private static <T> T parse(String who, Map<String, String> state, String key,
                               java.util.function.Function<String, T> parser) {
        String text = state.get(key);
        if (text == null) {
            throw new IllegalArgumentException(who + ": '" + key + "' is missing; expected the keys best,"
                    + " numBadEpochs, cooldownCounter and lastEpoch of stateDict(), got " + state.keySet());
        }
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(who + ": '" + key + "' = '" + text + "' is not a number");
        }
    }
}
