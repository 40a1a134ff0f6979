package io.papa.plugins.merges;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PairMergeTest {

    /** Upper 0.1% points of chi-square with 4 and 9 degrees of freedom. */
    private static final double CHI2_4DF_P001 = 18.467;
    private static final double CHI2_9DF_P001 = 27.877;
    private static final int DRAWS = 4000;

    private static final Map<String, String> UNIFORM = Map.of("pairs", "uniform");
    private static final Map<String, String> REFERENCE = Map.of("pairs", "reference");

    private final PairHalfMerge half = new PairHalfMerge();
    private final Pair75Merge seventyFive = new Pair75Merge();

    @Test
    void pair_half_children_are_midpoints_of_two_members() {
        for (Map<String, String> mode : List.of(UNIFORM, REFERENCE)) {
            for (int n : new int[] {2, 3, 5, 10}) {
                TestContext context = TestContext.of(half, n, 7, mode);
                for (int draw = 0; draw < 20; draw++) {
                    MixingMatrix m = half.mix(context);
                    for (int k = 0; k < n; k++) {
                        assertEquals(2, parents(m.row(k)).length, "row " + k + " of " + m);
                        for (int j : parents(m.row(k))) {
                            assertEquals(0.5, m.weight(k, j));
                        }
                    }
                }
            }
        }
    }

    @Test
    void two_members_give_both_slots_the_only_pair() {
        for (Map<String, String> mode : List.of(UNIFORM, REFERENCE)) {
            MixingMatrix m = half.mix(TestContext.of(half, 2, 3, mode));
            assertArrayEquals(new double[] {0.5, 0.5}, m.row(0));
            assertArrayEquals(new double[] {0.5, 0.5}, m.row(1));
        }
    }

    @Test
    void uniform_mode_draws_distinct_pairs() {
        for (int n : new int[] {3, 5, 10}) {
            TestContext context = TestContext.of(half, n, 11, UNIFORM);
            for (int draw = 0; draw < 200; draw++) {
                Set<Integer> pairs = new HashSet<>();
                MixingMatrix m = half.mix(context);
                for (int k = 0; k < n; k++) {
                    pairs.add(pairIndex(parents(m.row(k)), n));
                }
                assertEquals(n, pairs.size(), "repeated pair in " + m);
            }
        }
    }

    @Test
    void uniform_mode_draws_every_pair_and_every_parent_equally_often() {
        int n = 5;
        int allPairs = n * (n - 1) / 2;
        long[] pairCounts = new long[allPairs];
        long[] parentCounts = new long[n];
        TestContext context = TestContext.of(half, n, 2024, UNIFORM);
        for (int draw = 0; draw < DRAWS; draw++) {
            MixingMatrix m = half.mix(context);
            for (int k = 0; k < n; k++) {
                int[] pair = parents(m.row(k));
                pairCounts[pairIndex(pair, n)]++;
                parentCounts[pair[0]]++;
                parentCounts[pair[1]]++;
            }
        }
        // n of the C(n,2) pairs per draw; 2n parent slots per draw shared by n members
        assertChiSquareBelow(pairCounts, filled(allPairs, (double) DRAWS * n / allPairs), CHI2_9DF_P001);
        assertChiSquareBelow(parentCounts, filled(n, 2.0 * DRAWS), CHI2_4DF_P001);
    }

    @Test
    void uniform_mode_puts_any_pair_in_any_slot() {
        int n = 5;
        int allPairs = n * (n - 1) / 2;
        long[] lastSlot = new long[allPairs];
        TestContext context = TestContext.of(half, n, 99, UNIFORM);
        for (int draw = 0; draw < DRAWS; draw++) {
            lastSlot[pairIndex(parents(half.mix(context).row(n - 1)), n)]++;
        }
        assertChiSquareBelow(lastSlot, filled(allPairs, (double) DRAWS / allPairs), CHI2_9DF_P001);
    }

    @Test
    void reference_mode_uses_only_the_first_n_lexicographic_pairs_in_random_slots() {
        int n = 5;
        // (0,1) (0,2) (0,3) (0,4) (1,2) are lexicographic indices 0..4
        Set<Integer> firstFive = Set.of(0, 1, 2, 3, 4);
        long[] lastSlot = new long[n];
        TestContext context = TestContext.of(half, n, 5, REFERENCE);
        for (int draw = 0; draw < DRAWS; draw++) {
            MixingMatrix m = half.mix(context);
            Set<Integer> pairs = new HashSet<>();
            int childrenOfMemberZero = 0;
            for (int k = 0; k < n; k++) {
                int[] pair = parents(m.row(k));
                pairs.add(pairIndex(pair, n));
                if (pair[0] == 0) {
                    childrenOfMemberZero++;
                }
            }
            assertEquals(firstFive, pairs, m.toString());
            assertEquals(4, childrenOfMemberZero);
            lastSlot[pairIndex(parents(m.row(n - 1)), n)]++;
        }
        assertChiSquareBelow(lastSlot, filled(n, (double) DRAWS / n), CHI2_4DF_P001);
    }

    @Test
    void reference_and_uniform_agree_on_three_members_all_pairs() {
        for (Map<String, String> mode : List.of(UNIFORM, REFERENCE)) {
            MixingMatrix m = half.mix(TestContext.of(half, 3, 4, mode));
            Set<Integer> pairs = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                pairs.add(pairIndex(parents(m.row(k)), 3));
            }
            assertEquals(Set.of(0, 1, 2), pairs);
        }
    }

    @Test
    void matrix_description_names_the_drawn_pairs() {
        MixingMatrix m = half.mix(TestContext.of(half, 3, 1, REFERENCE));
        assertTrue(m.description().startsWith("reference pairs ("), m.description());
        for (int k = 0; k < 3; k++) {
            int[] pair = parents(m.row(k));
            assertTrue(m.description().contains("(" + pair[0] + "," + pair[1] + ")"), m.description());
        }
    }

    @Test
    void pair_75_children_are_three_quarters_of_one_parent_and_a_quarter_of_the_other() {
        for (Map<String, String> mode : List.of(UNIFORM, REFERENCE)) {
            for (int n : new int[] {2, 5, 10}) {
                TestContext context = TestContext.of(seventyFive, n, 8, mode);
                for (int draw = 0; draw < 20; draw++) {
                    MixingMatrix m = seventyFive.mix(context);
                    for (int k = 0; k < n; k++) {
                        int[] pair = parents(m.row(k));
                        assertEquals(2, pair.length, m.toString());
                        double a = m.weight(k, pair[0]);
                        double b = m.weight(k, pair[1]);
                        assertEquals(0.75, Math.max(a, b));
                        assertEquals(0.25, Math.min(a, b));
                    }
                }
            }
        }
    }

    @Test
    void pair_75_shares_the_pair_drawing_of_pair_half() {
        int n = 5;
        TestContext context = TestContext.of(seventyFive, n, 12, REFERENCE);
        for (int draw = 0; draw < 100; draw++) {
            MixingMatrix m = seventyFive.mix(context);
            for (int k = 0; k < n; k++) {
                assertTrue(pairIndex(parents(m.row(k)), n) < n, m.toString());
            }
        }
    }

    @Test
    void pair_75_heavy_parent_is_a_fair_coin() {
        int n = 5;
        long slots = (long) DRAWS * n;
        long lowerHeavy = 0;
        TestContext context = TestContext.of(seventyFive, n, 31, UNIFORM);
        for (int draw = 0; draw < DRAWS; draw++) {
            MixingMatrix m = seventyFive.mix(context);
            for (int k = 0; k < n; k++) {
                int[] pair = parents(m.row(k));
                if (m.weight(k, pair[0]) == 0.75) {
                    lowerHeavy++;
                }
            }
        }
        assertWithinFourSigma(lowerHeavy, slots);
    }

    @Test
    void pair_75_flips_the_coin_for_every_slot() {
        // with two members both slots share (0,1): the coins must be independent
        long sameHeavyParent = 0;
        TestContext context = TestContext.of(seventyFive, 2, 17, UNIFORM);
        for (int draw = 0; draw < DRAWS; draw++) {
            MixingMatrix m = seventyFive.mix(context);
            if (m.weight(0, 0) == m.weight(1, 0)) {
                sameHeavyParent++;
            }
        }
        assertWithinFourSigma(sameHeavyParent, DRAWS);
    }

    @Test
    void pair_modes_leave_a_single_member_alone() {
        for (MergeStrategy strategy : new MergeStrategy[] {half, seventyFive}) {
            assertTrue(strategy.mix(TestContext.of(strategy, 1, 1)).isIdentity());
        }
    }

    private static void assertChiSquareBelow(long[] observed, double[] expected, double critical) {
        double statistic = TestContext.chiSquare(observed, expected);
        assertTrue(statistic < critical, "chi-square " + statistic + " for counts " + Arrays.toString(observed));
    }

    /** Binomial(trials, 1/2) successes. */
    private static void assertWithinFourSigma(long successes, long trials) {
        double sigma = Math.sqrt(trials * 0.25);
        assertTrue(Math.abs(successes - trials / 2.0) < 4 * sigma, successes + " of " + trials);
    }

    /** Indices of the non-zero entries, ascending. */
    private static int[] parents(double[] row) {
        return IntStream.range(0, row.length).filter(j -> row[j] > 0).toArray();
    }

    /** Position of pair (a, b), a < b, in the lexicographic list of all pairs of n members. */
    private static int pairIndex(int[] pair, int n) {
        int a = pair[0];
        int b = pair[1];
        return a * n - a * (a + 1) / 2 + (b - a - 1);
    }

    private static double[] filled(int length, double value) {
        double[] values = new double[length];
        Arrays.fill(values, value);
        return values;
    }
}
