package io.papa.plugins.merges;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AllStrategiesTest {

    private static final List<MergeStrategy> STRATEGIES = List.of(new NoneMerge(), new AvgMerge(),
            new PairHalfMerge(), new Pair75Merge(), new ManyHalfMerge(), new Many75Merge(),
            new GreedySoupMerge(), new RandomMerge(), new GradualMerge());

    /** Distinct solo accuracies and a bonus for mixing, so greedy soups of several sizes come up. */
    private static double accuracy(double[] weights) {
        double value = 0;
        for (int j = 0; j < weights.length; j++) {
            value += weights[j] * (0.5 + 0.01 * ((j * 7) % 5)) + (weights[j] > 0 ? 0.003 : 0);
        }
        return value;
    }

    private static TestContext context(MergeStrategy strategy, int n, long seed) {
        return TestContext.of(strategy, n, seed).learningRateRatio(0.5).accuracy(AllStrategiesTest::accuracy);
    }

    @Test
    void every_strategy_gives_an_n_by_n_matrix() {
        for (MergeStrategy strategy : STRATEGIES) {
            for (int n : new int[] {1, 2, 3, 5, 10}) {
                MixingMatrix m = strategy.mix(context(strategy, n, 1));
                assertEquals(n, m.size(), strategy.id() + " with n=" + n);
                for (int k = 0; k < n; k++) {
                    assertEquals(n, m.row(k).length, strategy.id() + " with n=" + n);
                }
                assertNotNull(m.description());
            }
        }
    }

    @Test
    void the_same_seed_gives_the_same_matrices() {
        for (MergeStrategy strategy : STRATEGIES) {
            TestContext first = context(strategy, 6, 42);
            TestContext second = context(strategy, 6, 42);
            for (int merge = 0; merge < 3; merge++) {
                MixingMatrix a = strategy.mix(first);
                MixingMatrix b = strategy.mix(second);
                assertArrayEquals(TestContext.rows(a), TestContext.rows(b), strategy.id());
                assertEquals(a.description(), b.description(), strategy.id());
            }
        }
    }

    @Test
    void different_seeds_draw_different_pairs() {
        PairHalfMerge half = new PairHalfMerge();
        MixingMatrix a = half.mix(TestContext.of(half, 10, 1, Map.of()));
        MixingMatrix b = half.mix(TestContext.of(half, 10, 2, Map.of()));
        assertFalse(a.description().equals(b.description()), a.description());
    }

    @Test
    void ids_are_unique_and_descriptions_name_the_paper_method() {
        Set<String> ids = STRATEGIES.stream().map(MergeStrategy::id).collect(Collectors.toSet());
        assertEquals(Set.of("none", "avg", "pair_half", "pair_75", "many_half", "many_75", "greedy_soup",
                "random", "gradual"), ids);
        assertTrue(new AvgMerge().description().startsWith("PAPA-all"));
        assertTrue(new PairHalfMerge().description().startsWith("PAPA-2"));
        assertTrue(new GradualMerge().description().startsWith("PAPA:"));
    }

    @Test
    void the_annotation_processor_indexes_every_strategy() throws IOException {
        Set<String> indexed = new HashSet<>();
        Enumeration<URL> indexes = getClass().getClassLoader().getResources("META-INF/extensions.idx");
        while (indexes.hasMoreElements()) {
            try (InputStream in = indexes.nextElement().openStream()) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim).forEach(indexed::add);
            }
        }
        for (MergeStrategy strategy : STRATEGIES) {
            assertTrue(indexed.contains(strategy.getClass().getName()), strategy.getClass().getName());
        }
    }
}
