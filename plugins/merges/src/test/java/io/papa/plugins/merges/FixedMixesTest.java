package io.papa.plugins.merges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MergeStrategy;
import io.papa.api.MergeStrategy.Cadence;
import io.papa.api.MixingMatrix;
import org.junit.jupiter.api.Test;

class FixedMixesTest {

    private static final double EPS = 1e-12;

    @Test
    void none_never_merges_and_keeps_every_member() {
        NoneMerge none = new NoneMerge();
        assertEquals(Cadence.NEVER, none.cadence());
        for (int n : new int[] {1, 4}) {
            assertTrue(none.mix(TestContext.of(none, n, 1)).isIdentity());
        }
    }

    @Test
    void avg_gives_every_child_one_nth_of_every_member() {
        AvgMerge avg = new AvgMerge();
        assertEquals(Cadence.EPOCHS, avg.cadence());
        int n = 6;
        MixingMatrix m = avg.mix(TestContext.of(avg, n, 1));
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                assertEquals(1.0 / n, m.weight(k, j), EPS);
            }
        }
    }

    @Test
    void many_half_keeps_half_of_self_and_spreads_half_over_the_others() {
        assertSelfWeighted(new ManyHalfMerge(), 0.5);
    }

    @Test
    void many_75_keeps_three_quarters_of_self_and_spreads_a_quarter_over_the_others() {
        assertSelfWeighted(new Many75Merge(), 0.75);
    }

    @Test
    void many_modes_leave_a_single_member_alone() {
        assertTrue(new ManyHalfMerge().mix(TestContext.of(new ManyHalfMerge(), 1, 1)).isIdentity());
        assertTrue(new Many75Merge().mix(TestContext.of(new Many75Merge(), 1, 1)).isIdentity());
    }

    private static void assertSelfWeighted(MergeStrategy strategy, double self) {
        assertEquals(Cadence.EPOCHS, strategy.cadence());
        int n = 5;
        MixingMatrix m = strategy.mix(TestContext.of(strategy, n, 1));
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                assertEquals(k == j ? self : (1 - self) / (n - 1), m.weight(k, j), EPS, "entry " + k + "," + j);
            }
        }
    }
}
