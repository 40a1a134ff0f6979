package io.papa.engine.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference's alignment flags ({@code --permutation}, {@code --repair}, {@code --repair_soup},
 * {@code --n_iter}, main.py) as aligner ids with options, in the reference's order: permutation
 * alignment of the members first, then REPAIR of what was mixed. One mapping for {@code papa train}
 * and the workflow's merge, align, repair and evaluate steps.
 */
public final class ReferenceAligners {

    public static final String PERMUTATION = "permutation";
    public static final String REPAIR = "repair";

    private ReferenceAligners() {
    }

    /** @param matching activation (the reference) or weight; @param batches calibration batches for activation matching */
    public static Map<String, String> permutationOptions(String matching, int batches) {
        return Map.of("method", matching, "batches", Integer.toString(batches));
    }

    /**
     * @param nIter the reference's n_iter: batches per REPAIR statistics pass
     * @param shift exact (a bias-free conv's shift folded into the next BatchNorm) or reference (dropped)
     */
    public static Map<String, String> repairOptions(int nIter, String shift) {
        return Map.of("n_iter", Integer.toString(nIter), "shift", shift);
    }

    /**
     * Around a merge ({@code repair} = the reference's --repair) or a final soup ({@code repair} =
     * --repair_soup): the aligner ids with their options, in the order they run.
     */
    public static Map<String, Map<String, String>> of(boolean permutation, String matching, int batches, boolean repair,
            int nIter, String shift) {
        Map<String, Map<String, String>> aligners = new LinkedHashMap<>();
        if (permutation) {
            aligners.put(PERMUTATION, permutationOptions(matching, batches));
        }
        if (repair) {
            aligners.put(REPAIR, repairOptions(nIter, shift));
        }
        return aligners;
    }
}
