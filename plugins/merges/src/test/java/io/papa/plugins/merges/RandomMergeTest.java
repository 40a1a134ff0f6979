package io.papa.plugins.merges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MixingMatrix;
import org.junit.jupiter.api.Test;

class RandomMergeTest {

    private final RandomMerge random = new RandomMerge();

    @Test
    void rows_are_non_negative_and_sum_to_one() {
        TestContext context = TestContext.of(random, 7, 3);
        for (int draw = 0; draw < 100; draw++) {
            MixingMatrix m = random.mix(context);
            for (int k = 0; k < 7; k++) {
                double sum = 0;
                for (double w : m.row(k)) {
                    assertTrue(w >= 0);
                    sum += w;
                }
                assertEquals(1, sum, 1e-12);
            }
        }
    }

    @Test
    void entries_have_the_moments_of_a_flat_dirichlet() {
        // each entry of a Dirichlet(1,...,1) row is Beta(1, n-1): mean 1/n, E[x^2] = 2/(n(n+1))
        int n = 5;
        int draws = 20000;
        double[][] mean = new double[n][n];
        double[][] square = new double[n][n];
        TestContext context = TestContext.of(random, n, 2025);
        for (int draw = 0; draw < draws; draw++) {
            MixingMatrix m = random.mix(context);
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    double w = m.weight(k, j);
                    mean[k][j] += w / draws;
                    square[k][j] += w * w / draws;
                }
            }
        }
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                assertEquals(1.0 / n, mean[k][j], 0.006, "mean of entry " + k + "," + j);
                assertEquals(2.0 / (n * (n + 1)), square[k][j], 0.004, "second moment of entry " + k + "," + j);
            }
        }
    }

    @Test
    void rows_are_drawn_independently() {
        MixingMatrix m = random.mix(TestContext.of(random, 4, 8));
        assertTrue(!m.rowsEqual(), m.toString());
    }
}
