package io.papa.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizationGridTest {

    /** mixup x smooth x cutmix x re, in the reference's nesting order. */
    private static Map<String, List<Double>> lists() {
        Map<String, List<Double>> lists = new LinkedHashMap<>();
        lists.put("mixup", List.of(0.0, 1.0));
        lists.put("smooth", List.of(0.0, 0.05, 0.1));
        lists.put("cutmix", List.of(0.0, 1.0));
        lists.put("re", List.of(0.0, 0.35));
        return lists;
    }

    private static Map<String, Double> combo(double mixup, double smooth, double cutmix, double re) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mixup", mixup);
        m.put("smooth", smooth);
        m.put("cutmix", cutmix);
        m.put("re", re);
        return m;
    }

    @Test
    void combinationsAreTheCartesianProductWithTheFirstListVaryingSlowest() {
        List<Map<String, Double>> combinations = new RegularizationGrid(lists()).combinations();
        assertEquals(2 * 3 * 2 * 2, combinations.size());
        // itertools.product order: the last list varies fastest
        List<Map<String, Double>> expected = new ArrayList<>();
        for (double mixup : List.of(0.0, 1.0)) {
            for (double smooth : List.of(0.0, 0.05, 0.1)) {
                for (double cutmix : List.of(0.0, 1.0)) {
                    for (double re : List.of(0.0, 0.35)) {
                        expected.add(combo(mixup, smooth, cutmix, re));
                    }
                }
            }
        }
        assertEquals(expected, combinations);
        assertEquals(List.of("mixup", "smooth", "cutmix", "re"), new ArrayList<>(combinations.get(5).keySet()));
    }

    @Test
    void withoutListsThereIsOneEmptyCombination() {
        RegularizationGrid grid = new RegularizationGrid(Map.of());
        assertEquals(List.of(Map.of()), grid.combinations());
        assertEquals(List.of(Map.of(), Map.of(), Map.of()), grid.assign(3, 1));
    }

    @Test
    void membersDrawDistinctCombinationsWithoutReplacementWhileThereAreEnough() {
        RegularizationGrid grid = new RegularizationGrid(lists());
        List<Map<String, Double>> assignment = grid.assign(24, 5);
        assertEquals(24, assignment.size());
        // the first `count` members get every combination exactly once: a shuffle of the product
        assertEquals(new HashSet<>(grid.combinations()), new HashSet<>(assignment));
        assertEquals(24, new HashSet<>(assignment).size());
        // a smaller population takes a prefix of the same shuffle: member i gets entry i
        assertEquals(assignment.subList(0, 7), grid.assign(7, 5));
    }

    @Test
    void aLargerPopulationCyclesThroughTheShuffledListModuloItsSize() {
        Map<String, List<Double>> lists = new LinkedHashMap<>();
        lists.put("mixup", List.of(0.0, 1.0));
        lists.put("smooth", List.of(0.0, 0.1));
        RegularizationGrid grid = new RegularizationGrid(lists);
        List<Map<String, Double>> assignment = grid.assign(10, 3);
        assertEquals(10, assignment.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(assignment.get(i % 4), assignment.get(i), "member " + i);
        }
        assertEquals(4, new HashSet<>(assignment.subList(0, 4)).size());
    }

    @Test
    void theSameSeedGivesTheSameAssignment() {
        RegularizationGrid grid = new RegularizationGrid(lists());
        assertEquals(grid.assign(24, 42), grid.assign(24, 42));
        assertEquals(grid.assign(24, 42), new RegularizationGrid(lists()).assign(24, 42));
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        RegularizationGrid grid = new RegularizationGrid(lists());
        // 24! orders: two seeds agreeing would be a broken shuffle, not chance
        assertNotEquals(grid.assign(24, 1), grid.assign(24, 2));
        assertNotEquals(grid.assign(24, 2), grid.assign(24, 3));
        // and the shuffle really shuffles: not the product order
        assertNotEquals(grid.combinations(), grid.assign(24, 1));
    }

    @Test
    void anEmptyValueListIsRejectedNamingTheRegulariser() {
        Map<String, List<Double>> lists = new LinkedHashMap<>();
        lists.put("mixup", List.of());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new RegularizationGrid(lists));
        assertTrue(error.getMessage().contains("mixup"), error.getMessage());
    }
}
