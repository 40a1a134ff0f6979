package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import org.pf4j.Extension;

/** The reference's {@code many_half}: child k = 0.5 member_k + 0.5/(n-1) of every other member. */
@Extension
public final class ManyHalfMerge implements MergeStrategy {

    @Override
    public String id() {
        return "many_half";
    }

    @Override
    public String description() {
        return "reference's many_half: each member keeps 0.5 of itself, 0.5 spread over the others";
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        return new MixingMatrix(Matrices.selfWeighted(context.populationSize(), 0.5),
                "0.5 self, 0.5 spread over the others");
    }
}
