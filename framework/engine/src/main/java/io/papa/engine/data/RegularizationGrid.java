package io.papa.engine.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The reference's per-member regularisation draw: the Cartesian product of the value lists (first
 * list varying slowest, like itertools.product), shuffled once with the run's seed; member i takes
 * entry {@code i mod count}, so members differ while n_pop does not exceed the number of
 * combinations. (The shuffle uses java.util.Random, not Python's, so the same seed assigns different
 * combinations than the reference does; the distribution is the same.)
 */
public final class RegularizationGrid {

    private final Map<String, List<Double>> lists;

    public RegularizationGrid(Map<String, List<Double>> lists) {
        this.lists = new LinkedHashMap<>();
        lists.forEach((id, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("regulariser '" + id + "' has an empty value list");
            }
            this.lists.put(id, List.copyOf(values));
        });
    }

    public Map<String, List<Double>> lists() {
        return Collections.unmodifiableMap(lists);
    }

    /** Every combination, in product order. */
    public List<Map<String, Double>> combinations() {
        List<Map<String, Double>> result = new ArrayList<>();
        result.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Double>> entry : lists.entrySet()) {
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> prefix : result) {
                for (double value : entry.getValue()) {
                    Map<String, Double> combination = new LinkedHashMap<>(prefix);
                    combination.put(entry.getKey(), value);
                    next.add(combination);
                }
            }
            result = next;
        }
        return result;
    }

    /** Member i's strengths, by regulariser id. */
    public List<Map<String, Double>> assign(int populationSize, long seed) {
        List<Map<String, Double>> combinations = combinations();
        Collections.shuffle(combinations, new Random(seed));
        List<Map<String, Double>> assignment = new ArrayList<>();
        for (int i = 0; i < populationSize; i++) {
            assignment.add(Collections.unmodifiableMap(combinations.get(i % combinations.size())));
        }
        return assignment;
    }
}
