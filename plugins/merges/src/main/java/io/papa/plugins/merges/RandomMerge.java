package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/** The reference's {@code random}: each child is a Dirichlet(1,...,1) mixture of all members. */
@Extension
public final class RandomMerge implements MergeStrategy {

    @Override
    public String id() {
        return "random";
    }

    @Override
    public String description() {
        return "reference's random: each member becomes a Dirichlet(1,...,1)-weighted mixture of all members";
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        int n = context.populationSize();
        RandomGenerator random = context.random();
        double[][] w = new double[n][n];
        for (double[] row : w) {
            // normalised Exp(1) draws are Dirichlet(1,...,1)
            double sum = 0;
            for (int j = 0; j < n; j++) {
                row[j] = random.nextExponential();
                sum += row[j];
            }
            for (int j = 0; j < n; j++) {
                row[j] /= sum;
            }
        }
        return new MixingMatrix(w, "Dirichlet(1,...,1) rows");
    }
}
