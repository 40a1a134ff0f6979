package io.papa.engine.data;

import io.papa.api.Options;
import io.papa.api.Regularizer;

/** A regulariser at a fixed strength with its options: one entry of a member's data pipeline. */
public record RegularizerStep(Regularizer regularizer, double strength, Options options) {

    public boolean active() {
        return regularizer.isActive(strength);
    }

    public Regularizer.Stage stage() {
        return regularizer.stage();
    }
}
