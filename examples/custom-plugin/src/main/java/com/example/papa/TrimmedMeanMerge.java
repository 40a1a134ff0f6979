package com.example.papa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.OptionSpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * Every member becomes the coordinate-wise trimmed mean of the population: for each weight, the
 * {@code trim} share of the largest and of the smallest member values is dropped before averaging,
 * so one diverging member cannot drag the average. With {@code trim = 0} it is PAPA-all.
 */
@Extension
public final class TrimmedMeanMerge implements MergeStrategy {

    @Override
    public String id() {
        return "trimmed_mean";
    }

    @Override
    public String description() {
        return "every member becomes the coordinate-wise trimmed mean of all members (robust PAPA-all)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.decimal("trim", 0.2,
                "share of the members dropped at each end of every coordinate before averaging").range(0, 0.49));
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        // every child has every member as a parent: REPAIR (if enabled) aims at the uniform mixture's statistics
        return MixingMatrix.uniform(context.populationSize());
    }

    @Override
    public boolean combinesTensors() {
        return true;
    }

    @Override
    public NDArray combine(String parameter, NDArray members, MergeContext context) {
        long n = members.getShape().get(0);
        long drop = (long) Math.floor(context.options().getDouble("trim") * n);
        NDArray kept = members.sort(0).get(new NDIndex(drop + ":" + (n - drop)));
        NDArray mean = kept.mean(new int[] {0}, true);
        return mean.repeat(0, n);
    }
}
