package io.papa.api;

import java.util.random.RandomGenerator;

/** What a merge strategy may look at when it decides how to mix the population. */
public interface MergeContext {

    int populationSize();

    /** The strategy's own validated options. */
    Options options();

    /** Seeded generator for this merge; the same run draws the same numbers. */
    RandomGenerator random();

    /** 0-based epoch that just ended (epoch cadence) or is running (step cadence). */
    int epoch();

    /** Global optimiser step count. */
    long step();

    /** Current learning rate divided by the initial one (PAPA scales its pull by it). */
    double learningRateRatio();

    /**
     * Validation accuracy of the network {@code sum_j weights[j] * member_j}; each call runs a pass
     * over the validation set, so strategies should call it sparingly (greedy soup).
     */
    double validationAccuracy(double[] weights);
}
