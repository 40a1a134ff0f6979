package io.papa.engine.eval;

import io.papa.api.GreedySoup;
import io.papa.engine.merge.MergeRunner;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Evaluates a trained population as the reference does at the end of main.py. */
public final class FinalEvaluation {

    private FinalEvaluation() {
    }

    /**
     * @param soupAligners run around the building of each reported soup (permutation alignment of the
     *     members, REPAIR of the soup); greedy-soup candidates are plain averages, as in the reference
     */
    public static FinalResults run(Population population, List<MergeRunner.ConfiguredAligner> soupAligners) {
        int batch = population.config().evalBatchSize();
        List<Member> members = population.members();
        Scores test = Evaluator.evaluate(members, population.testImages(), batch, population.manager(),
                population.device());
        Scores validation = population.validationImages() == null ? null
                : Evaluator.evaluate(members, population.validationImages(), batch, population.manager(),
                        population.device());
        List<FinalResults.MemberResult> results = new ArrayList<>();
        for (Member member : members) {
            int k = member.index();
            results.add(new FinalResults.MemberResult(k, member.regularization(), test.accuracy()[k], test.loss()[k],
                    validation == null ? null : validation.accuracy()[k]));
        }
        int n = members.size();
        double[] uniform = new double[n];
        Arrays.fill(uniform, 1.0 / n);
        FinalResults.Soup average = soup(population, uniform, soupAligners);
        FinalResults.Soup greedy = null;
        if (validation != null) {
            greedy = soup(population, GreedySoup.weights(validation.accuracy(),
                    weights -> MergeRunner.validationAccuracy(population, weights)), soupAligners);
        }
        return new FinalResults(results, test.mean(), test.min(), test.max(), test.ensembleAccuracy(), average, greedy);
    }

    private static FinalResults.Soup soup(Population population, double[] weights,
            List<MergeRunner.ConfiguredAligner> soupAligners) {
        Member scratch = MergeRunner.soup(population, weights, soupAligners);
        int batch = population.config().evalBatchSize();
        double test = Evaluator.evaluate(List.of(scratch), population.testImages(), batch, population.manager(),
                population.device()).accuracy()[0];
        Double validation = population.validationImages() == null ? null
                : Evaluator.evaluate(List.of(scratch), population.validationImages(), batch, population.manager(),
                        population.device()).accuracy()[0];
        List<Integer> in = new ArrayList<>();
        for (int j = 0; j < weights.length; j++) {
            if (weights[j] > 0) {
                in.add(j);
            }
        }
        return new FinalResults.Soup(in, test, validation);
    }
}
