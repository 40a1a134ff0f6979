package io.papa.plugins.merges;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MixingMatrix;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GreedySoupMergeTest {

    private static final double EPS = 1e-12;
    private final GreedySoupMerge greedy = new GreedySoupMerge();

    /**
     * Accuracy of a mixture: mean solo accuracy of its members plus 0.02 per extra member, minus 0.3
     * when member {@code harmful} is mixed with anyone (it is fine alone but breaks every soup).
     */
    private static ToDoubleFunction<double[]> accuracy(double[] solo, int harmful) {
        return weights -> {
            int members = 0;
            double sum = 0;
            for (int j = 0; j < weights.length; j++) {
                if (weights[j] > 0) {
                    members++;
                    sum += solo[j];
                }
            }
            double penalty = harmful >= 0 && weights[harmful] > 0 && members > 1 ? 0.3 : 0;
            return sum / members + 0.02 * (members - 1) - penalty;
        };
    }

    @Test
    void leaves_out_members_that_lower_validation_accuracy() {
        // order by solo accuracy: 1, 2, 0, 4, 3. Member 2 breaks any soup; member 3 drags the mean down
        // more than the 0.02 bonus: the soup is {0, 1, 4}
        double[] solo = {0.70, 0.72, 0.71, 0.60, 0.68};
        TestContext context = TestContext.of(greedy, 5, 1).accuracy(accuracy(solo, 2));
        MixingMatrix m = greedy.mix(context);
        assertTrue(m.rowsEqual());
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 0, 0, 1.0 / 3}, m.row(0), EPS);
        assertTrue(m.description().contains("[0, 1, 4]"), m.description());
    }

    @Test
    void includes_every_member_that_helps() {
        double[] solo = {0.70, 0.71, 0.69, 0.70};
        TestContext context = TestContext.of(greedy, 4, 1).accuracy(accuracy(solo, -1));
        MixingMatrix m = greedy.mix(context);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, m.row(k), EPS);
        }
    }

    @Test
    void evaluates_each_member_and_each_candidate_soup_once() {
        int n = 6;
        TestContext context = TestContext.of(greedy, n, 1).accuracy(accuracy(new double[] {.5, .6, .7, .4, .3, .2}, 0));
        greedy.mix(context);
        assertEquals(n + (n - 1), context.accuracyCalls());
    }

    @Test
    void keeps_the_best_member_when_no_soup_helps() {
        double[] solo = {0.50, 0.90, 0.40};
        // every mixture scores 0: only the best member alone survives
        TestContext context = TestContext.of(greedy, 3, 1).accuracy(weights -> {
            for (int j = 0; j < weights.length; j++) {
                if (weights[j] == 1) {
                    return solo[j];
                }
            }
            return 0;
        });
        assertArrayEquals(new double[] {0, 1, 0}, greedy.mix(context).row(2), EPS);
    }
}
