package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.OptionSpec;
import java.util.List;
import java.util.Locale;
import org.pf4j.Extension;

/**
 * PAPA (formerly PAPA-gradual): every few optimiser steps each member is pulled toward the population
 * mean, {@code w_k <- a' w_k + (1 - a') mean(w)}. With {@code lr_scaling=linear} the pull (1 - a)
 * is multiplied by the current/initial learning-rate ratio, so it fades as the schedule anneals.
 */
@Extension
public final class GradualMerge implements MergeStrategy {

    static final String ALPHA = "ema_alpha";
    static final String LR_SCALING = "lr_scaling";
    static final String LINEAR = "linear";
    static final String CONSTANT = "constant";

    @Override
    public String id() {
        return "gradual";
    }

    @Override
    public String description() {
        return "PAPA: members are regularly pulled toward the population average (EMA of the mean)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.decimal(ALPHA, 0.99, "share of its own weights a member keeps at each pull")
                        .range(0, 1),
                OptionSpec.choice(LR_SCALING, LINEAR,
                        "'linear' scales the pull (1 - ema_alpha) by the current/initial learning rate;"
                                + " 'constant' keeps it fixed",
                        LINEAR, CONSTANT));
    }

    @Override
    public Cadence cadence() {
        return Cadence.STEPS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        double alpha = context.options().getDouble(ALPHA);
        boolean linear = context.options().getString(LR_SCALING).equals(LINEAR);
        double ratio = linear ? context.learningRateRatio() : 1;
        double keep = 1 - ratio * (1 - alpha);
        // outside [0, 1] the pull would extrapolate past the mean or push away from it
        if (!(keep >= 0 && keep <= 1)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "gradual: learning-rate ratio %s with ema_alpha %s gives a kept share %s outside [0, 1]",
                    ratio, alpha, keep));
        }
        int n = context.populationSize();
        double toMean = (1 - keep) / n;
        String scaling = linear ? String.format(Locale.ROOT, "lr ratio %.4f", ratio) : "constant pull";
        return new MixingMatrix(Matrices.diagonalPlusRest(n, keep + toMean, toMean), String.format(Locale.ROOT,
                "pull toward the mean: keep %.6f (ema_alpha %s, %s)", keep, alpha, scaling));
    }
}
