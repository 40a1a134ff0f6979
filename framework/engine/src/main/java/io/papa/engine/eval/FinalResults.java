package io.papa.engine.eval;

import java.util.List;
import java.util.Map;

/**
 * The reference's end-of-run metrics: every member's test and validation accuracy, their mean,
 * min and max, the logit ensemble, the uniform soup and the greedy soup. Accuracies are fractions.
 */
public record FinalResults(
        List<MemberResult> members,
        double mean,
        double min,
        double max,
        double ensemble,
        Soup averageSoup,
        Soup greedySoup) {

    public record MemberResult(int index, Map<String, Double> regularization, double testAccuracy, double testLoss,
            Double validationAccuracy) {
    }

    /** A soup: which members it averages (uniformly) and its accuracies. */
    public record Soup(List<Integer> members, double testAccuracy, Double validationAccuracy) {
    }

    /** {@code Models Mean [min, max] & Ens & AvgSoup & GreedySoup = M [m, X] & E & A & G}, in percent. */
    public String summaryLine() {
        return String.format(java.util.Locale.ROOT,
                "Models Mean [min, max] & Ens & AvgSoup & GreedySoup = %.2f [%.2f, %.2f] & %.2f & %.2f & %s",
                100 * mean, 100 * min, 100 * max, 100 * ensemble, 100 * averageSoup.testAccuracy(),
                greedySoup == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f", 100 * greedySoup.testAccuracy()));
    }
}
