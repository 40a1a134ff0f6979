package io.papa.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The reference's greedy soup (Wortsman et al.): members sorted by validation accuracy, best first;
 * each next member joins the uniform average only if validation accuracy strictly improves.
 * Shared by the {@code greedy_soup} merge strategy and the final report.
 */
public final class GreedySoup {

    private GreedySoup() {
    }

    /**
     * @param memberAccuracy validation accuracy of each member alone
     * @param soupAccuracy validation accuracy of the network mixed with the given weights
     * @return the soup's weights: 1/|soup| on the chosen members, 0 elsewhere
     */
    public static double[] weights(double[] memberAccuracy, ToDoubleFunction<double[]> soupAccuracy) {
        int n = memberAccuracy.length;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        // stable sort: ties keep member order, so the result does not depend on the sort algorithm
        order.sort(Comparator.comparingDouble((Integer i) -> -memberAccuracy[i]));
        List<Integer> soup = new ArrayList<>(List.of(order.get(0)));
        double best = memberAccuracy[order.get(0)];
        for (int next : order.subList(1, n)) {
            List<Integer> candidate = new ArrayList<>(soup);
            candidate.add(next);
            double accuracy = soupAccuracy.applyAsDouble(uniformOver(candidate, n));
            if (accuracy > best) {
                soup = candidate;
                best = accuracy;
            }
        }
        return uniformOver(soup, n);
    }

    private static double[] uniformOver(List<Integer> members, int n) {
        double[] weights = new double[n];
        for (int member : members) {
            weights[member] = 1.0 / members.size();
        }
        return weights;
    }
}
