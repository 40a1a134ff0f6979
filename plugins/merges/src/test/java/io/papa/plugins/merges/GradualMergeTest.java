package io.papa.plugins.merges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MergeStrategy.Cadence;
import io.papa.api.MixingMatrix;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradualMergeTest {

    private static final double EPS = 1e-12;
    private final GradualMerge gradual = new GradualMerge();

    @Test
    void runs_on_the_step_cadence() {
        assertEquals(Cadence.STEPS, gradual.cadence());
    }

    @Test
    void linear_scaling_shrinks_the_pull_with_the_learning_rate() {
        int n = 4;
        double a = 0.9;
        double s = 0.25;
        MixingMatrix m = gradual.mix(TestContext.of(gradual, n, 1, Map.of("ema_alpha", "0.9"))
                .learningRateRatio(s));
        double keep = 1 - s * (1 - a);
        assertPull(m, n, keep);
    }

    @Test
    void constant_scaling_ignores_the_learning_rate() {
        int n = 3;
        MixingMatrix m = gradual.mix(TestContext.of(gradual, n, 1,
                Map.of("ema_alpha", "0.8", "lr_scaling", "constant")).learningRateRatio(0.1));
        assertPull(m, n, 0.8);
    }

    @Test
    void defaults_to_alpha_099_with_linear_scaling() {
        int n = 5;
        MixingMatrix m = gradual.mix(TestContext.of(gradual, n, 1).learningRateRatio(0.5));
        assertPull(m, n, 1 - 0.5 * 0.01);
    }

    @Test
    void alpha_one_or_a_zero_learning_rate_leaves_members_unchanged() {
        assertTrue(gradual.mix(TestContext.of(gradual, 3, 1, Map.of("ema_alpha", "1"))).isIdentity());
        assertTrue(gradual.mix(TestContext.of(gradual, 3, 1).learningRateRatio(0)).isIdentity());
    }

    @Test
    void rejects_a_learning_rate_ratio_that_would_overshoot_the_mean() {
        TestContext context = TestContext.of(gradual, 3, 1, Map.of("ema_alpha", "0.5")).learningRateRatio(3);
        assertThrows(IllegalStateException.class, () -> gradual.mix(context));
    }

    /** child_k = keep * w_k + (1 - keep) * mean(w). */
    private static void assertPull(MixingMatrix m, int n, double keep) {
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double expected = (k == j ? keep : 0) + (1 - keep) / n;
                assertEquals(expected, m.weight(k, j), EPS, "entry " + k + "," + j);
            }
        }
    }
}
