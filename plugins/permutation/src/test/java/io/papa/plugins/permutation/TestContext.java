package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import io.papa.api.AlignmentContext;
import io.papa.api.Network;
import io.papa.api.Options;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A merge before mixing: parents, mixing weights (one row per child) and fixed calibration batches. */
final class TestContext implements AlignmentContext {

    private final Options options;
    private final List<? extends Network> parents;
    private final double[][] weights;
    private final List<NDArray> batches;
    private final Map<String, Object> state = new HashMap<>();
    private int calibrationCalls;

    TestContext(Map<String, String> given, List<? extends Network> parents, double[][] weights, List<NDArray> batches) {
        PermutationAlignment aligner = new PermutationAlignment();
        this.options = Options.resolve("aligner '" + aligner.id() + "'", aligner.options(), given);
        this.parents = parents;
        this.weights = weights;
        this.batches = batches;
    }

    int calibrationCalls() {
        return calibrationCalls;
    }

    @Override
    public Options options() {
        return options;
    }

    @Override
    public int parentCount() {
        return parents.size();
    }

    @Override
    public Network parent(int j) {
        return parents.get(j);
    }

    @Override
    public boolean parentsSurvive() {
        return false;
    }

    @Override
    public int childCount() {
        return weights.length;
    }

    @Override
    public Network child(int k) {
        throw new IllegalStateException("children exist only after mixing");
    }

    @Override
    public double weight(int child, int parent) {
        return weights[child][parent];
    }

    @Override
    public List<NDArray> calibrationBatches(int count) {
        calibrationCalls++;
        if (count > batches.size()) {
            throw new IllegalArgumentException(count + " batches requested, the test has " + batches.size());
        }
        return batches.subList(0, count);
    }

    @Override
    public Map<String, Object> state() {
        return state;
    }
}
