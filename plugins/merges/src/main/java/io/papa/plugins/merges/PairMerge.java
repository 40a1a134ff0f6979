package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.OptionSpec;
import java.util.List;
import java.util.Locale;

/**
 * Each slot becomes a two-parent mixture: {@code heavy} of one parent and {@code 1 - heavy} of the
 * other, the pairs drawn by {@link Pairs}. At 0.5 (PAPA-2) the order within a pair does not matter;
 * otherwise a fair coin per slot picks the heavy parent, as the reference picks interp or interp2
 * with random.randint(0,1).
 */
abstract class PairMerge implements MergeStrategy {

    private final double heavy;

    PairMerge(double heavy) {
        this.heavy = heavy;
    }

    @Override
    public final List<OptionSpec> options() {
        return List.of(Pairs.SPEC);
    }

    @Override
    public final Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public final MixingMatrix mix(MergeContext context) {
        int n = context.populationSize();
        if (n == 1) {
            return MixingMatrix.identity(1);
        }
        int[][] pairs = Pairs.draw(context);
        boolean symmetric = heavy == 0.5;
        int[][] heavyFirst = new int[n][];
        double[][] w = new double[n][n];
        for (int k = 0; k < n; k++) {
            boolean swap = !symmetric && context.random().nextBoolean();
            int first = pairs[k][swap ? 1 : 0];
            int second = pairs[k][swap ? 0 : 1];
            w[k][first] += heavy;
            w[k][second] += 1 - heavy;
            heavyFirst[k] = new int[] {first, second};
        }
        String drawn = context.options().getString(Pairs.OPTION);
        return new MixingMatrix(w, symmetric ? drawn + " pairs " + Pairs.describe(pairs)
                : String.format(Locale.ROOT, "%s pairs, %.2f on the first: %s", drawn, heavy, Pairs.describe(heavyFirst)));
    }
}
