package io.papa.api;

/**
 * How a population is merged: a strategy decides a {@link MixingMatrix}; the engine applies it to
 * every parameter and running statistic, then runs the configured aligners (REPAIR...).
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
}
