package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.OptionSpec;
import java.util.List;
import org.pf4j.Extension;

/**
 * The reference's {@code pair_75}: pairs are drawn as for {@link PairHalfMerge} (same {@code pairs}
 * option), and each slot becomes 0.75 of one parent plus 0.25 of the other. Which parent is heavy
 * is a fair coin per slot, as the reference picks interp or interp2 with random.randint(0,1).
 */
@Extension
public final class Pair75Merge implements MergeStrategy {

    private static final double HEAVY = 0.75;

    @Override
    public String id() {
        return "pair_75";
    }

    @Override
    public String description() {
        return "reference's pair_75: each member becomes 0.75/0.25 of a randomly drawn pair,"
                + " heavier parent by coin flip";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(Pairs.SPEC);
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        int n = context.populationSize();
        if (n == 1) {
            return MixingMatrix.identity(1);
        }
        int[][] pairs = Pairs.draw(context);
        int[][] heavyFirst = new int[n][];
        double[][] w = new double[n][n];
        for (int k = 0; k < n; k++) {
            boolean swap = context.random().nextBoolean();
            int heavy = pairs[k][swap ? 1 : 0];
            int light = pairs[k][swap ? 0 : 1];
            w[k][heavy] = HEAVY;
            w[k][light] = 1 - HEAVY;
            heavyFirst[k] = new int[] {heavy, light};
        }
        return new MixingMatrix(w, context.options().getString(Pairs.OPTION)
                + " pairs, 0.75 on the first: " + Pairs.describe(heavyFirst));
    }
}
