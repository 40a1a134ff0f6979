package io.papa.engine.optim;

import java.util.Locale;

/**
 * Learning rate per optimiser step, stepped every iteration as in the reference: cosine annealing
 * to {@code lrMin} over all steps (no warm-up), multi-step decay at fractions of the run, or constant.
 */
public final class LearningRateSchedule {

    public enum Kind {
        COSINE, MULTISTEP, CONSTANT;

        public static Kind parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown lr scheduler '" + name + "'; valid: cosine, multistep, constant");
            }
        }
    }

    private final Kind kind;
    private final double lr;
    private final double lrMin;
    private final long totalSteps;
    private final double[] milestones;
    private final double gamma;

    public LearningRateSchedule(Kind kind, double lr, double lrMin, long totalSteps, double[] milestones, double gamma) {
        this.kind = kind;
        this.lr = lr;
        this.lrMin = lrMin;
        this.totalSteps = Math.max(1, totalSteps);
        this.milestones = milestones.clone();
        this.gamma = gamma;
    }

    /** The rate used by step {@code step} (0-based). */
    public double at(long step) {
        switch (kind) {
            case COSINE:
                double t = Math.min(step, totalSteps);
                return lrMin + (lr - lrMin) * (1 + Math.cos(Math.PI * t / totalSteps)) / 2;
            case MULTISTEP:
                double rate = lr;
                for (double milestone : milestones) {
                    // Math.rint rounds half to even, as the reference's Python round() does (Math.round would not)
                    if (step >= Math.rint(totalSteps * milestone)) {
                        rate *= gamma;
                    }
                }
                return rate;
            default:
                return lr;
        }
    }

    public double initial() {
        return lr;
    }
}
