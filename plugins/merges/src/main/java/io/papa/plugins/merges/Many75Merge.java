package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import org.pf4j.Extension;

/** The reference's {@code many_75}: child k = 0.75 member_k + 0.25/(n-1) of every other member. */
@Extension
public final class Many75Merge implements MergeStrategy {

    @Override
    public String id() {
        return "many_75";
    }

    @Override
    public String description() {
        return "reference's many_75: each member keeps 0.75 of itself, 0.25 spread over the others";
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        return new MixingMatrix(Matrices.selfWeighted(context.populationSize(), 0.75),
                "0.75 self, 0.25 spread over the others");
    }
}
