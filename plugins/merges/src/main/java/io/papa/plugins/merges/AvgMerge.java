package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import org.pf4j.Extension;

/** PAPA-all: every member is replaced by the uniform average of the population. */
@Extension
public final class AvgMerge implements MergeStrategy {

    @Override
    public String id() {
        return "avg";
    }

    @Override
    public String description() {
        return "PAPA-all: every member becomes the uniform average of all members";
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        return MixingMatrix.uniform(context.populationSize());
    }
}
