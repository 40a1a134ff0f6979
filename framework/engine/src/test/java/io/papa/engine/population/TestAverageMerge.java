package io.papa.engine.population;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;

/**
 * PAPA-all for tests: every member becomes the uniform average, after every {@code every_k_epochs}
 * epochs. Not annotated with {@code @Extension} on purpose: it reaches the host through a plugin jar
 * built by {@link TestPluginJar}, so the merge strategies listed for other tests' plugin directories
 * stay exactly the ones those tests put there.
 */
public final class TestAverageMerge implements MergeStrategy {

    public static final String ID = "test-avg";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "test: uniform average of all members";
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
