package io.papa.plugins.merges;

import io.papa.api.GreedySoup;
import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pf4j.Extension;

/**
 * The reference's {@code greedy_soup} merge: every member is replaced by the greedy soup, which costs
 * n validation passes for the members alone plus n-1 for the candidate soups.
 */
@Extension
public final class GreedySoupMerge implements MergeStrategy {

    @Override
    public String id() {
        return "greedy_soup";
    }

    @Override
    public String description() {
        return "reference's greedy_soup: every member becomes the greedy soup chosen on validation accuracy";
    }

    @Override
    public Cadence cadence() {
        return Cadence.EPOCHS;
    }

    @Override
    public MixingMatrix mix(MergeContext context) {
        int n = context.populationSize();
        double[] memberAccuracy = new double[n];
        for (int j = 0; j < n; j++) {
            double[] alone = new double[n];
            alone[j] = 1;
            memberAccuracy[j] = context.validationAccuracy(alone);
        }
        double[] soup = GreedySoup.weights(memberAccuracy, context::validationAccuracy);
        double[][] w = new double[n][];
        for (int k = 0; k < n; k++) {
            w[k] = soup.clone();
        }
        List<Integer> members = new ArrayList<>();
        List<String> accuracies = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (soup[j] > 0) {
                members.add(j);
            }
            accuracies.add(String.format(Locale.ROOT, "%.4f", memberAccuracy[j]));
        }
        return new MixingMatrix(w, "greedy soup of members " + members + " (member accuracies " + accuracies + ")");
    }
}
