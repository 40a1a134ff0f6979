package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import org.pf4j.Extension;

/** The reference's {@code none}: members train independently; only the final soups combine them. */
@Extension
public final class NoneMerge implements MergeStrategy {

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String description() {
        return "independent members, never merged (baseline; the reference's method_comb none)";
    }

    @Override
    public Cadence cadence() {
        return Cadence.NEVER;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        return MixingMatrix.identity(context.populationSize());
    }
}
