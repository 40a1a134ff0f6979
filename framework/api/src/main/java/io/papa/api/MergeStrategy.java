package io.papa.api;

import ai.djl.ndarray.NDArray;

/**
 * How a population is merged: a strategy decides a {@link MixingMatrix}; the engine applies it to
 * every parameter and running statistic, then runs the configured aligners (REPAIR...). A strategy
 * whose children are not weighted sums of the members (a trimmed mean, a sign-consensus merge)
 * overrides {@link #combine}; its matrix then only tells aligners which parents each child has.
 */
public interface MergeStrategy extends PapaExtension {

    enum Cadence {
        /** After every {@code every_k_epochs} epochs (PAPA-all, PAPA-2...). */
        EPOCHS,
        /** After every {@code ema_every_k} optimiser steps (PAPA's gradual pull). */
        STEPS,
        /** Never during training (independent members). */
        NEVER
    }

    Cadence cadence();

    MixingMatrix mix(MergeContext context);

    /** Whether {@link #combine} replaces the weighted sum of the mixing matrix. */
    default boolean combinesTensors() {
        return false;
    }

    /**
     * One tensor of every member stacked on axis 0 ({@code (n, ...)}), to the children's values
     * stacked the same way. Called once per parameter and running statistic, outside any gradient
     * collector; create results with the input's manager.
     *
     * @param parameter the parameter's name, for strategies that treat some tensors differently
     * @param context the same context {@link #mix} saw (options, random draws)
     */
    default NDArray combine(String parameter, NDArray members, MergeContext context) {
        throw new UnsupportedOperationException(id() + " merges by its mixing matrix");
    }
}
