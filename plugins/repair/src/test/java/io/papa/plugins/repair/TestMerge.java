package io.papa.plugins.repair;

import ai.djl.ndarray.NDArray;
import io.papa.api.Aligner;
import io.papa.api.AlignmentContext;
import io.papa.api.Network;
import io.papa.api.Options;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One merge as the engine runs it: the aligner sees the parents, every tensor is mixed, the aligner
 * sees the children. In a population merge the children are the parents' own networks, overwritten;
 * in a soup they are separate networks and the parents stay intact.
 */
final class TestMerge implements AlignmentContext {

    private final Options options;
    private final List<? extends Network> parents;
    private final List<? extends Network> children;
    private final double[][] weights;
    private final List<NDArray> batches;
    private final boolean soup;
    private final Map<String, Object> state = new HashMap<>();
    private boolean mixed;

    private TestMerge(Options options, List<? extends Network> parents, List<? extends Network> children,
            double[][] weights, List<NDArray> batches, boolean soup) {
        this.options = options;
        this.parents = parents;
        this.children = children;
        this.weights = weights;
        this.batches = batches;
        this.soup = soup;
    }

    /** Every member becomes the mixture in its row; the members are overwritten. */
    static TestMerge population(Map<String, String> options, List<? extends Network> members, double[][] weights,
            List<NDArray> batches) {
        return new TestMerge(resolve(options), members, members, weights, batches, false);
    }

    /** {@code soup} becomes {@code sum_j weights[j] * parent_j}; the parents are kept. */
    static TestMerge soup(Map<String, String> options, List<? extends Network> parents, Network soup, double[] weights,
            List<NDArray> batches) {
        return new TestMerge(resolve(options), parents, List.of(soup), new double[][] {weights}, batches, true);
    }

    private static Options resolve(Map<String, String> options) {
        Repair repair = new Repair();
        return Options.resolve("aligner '" + repair.id() + "'", repair.options(), options);
    }

    /** beforeMixing, mixing, afterMixing, then the engine's clean-up of the state. */
    void run(Aligner aligner) throws Exception {
        aligner.beforeMixing(this);
        mix();
        aligner.afterMixing(this);
        for (Object value : state.values()) {
            if (value instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private void mix() {
        Map<String, float[][]> mixtures = new LinkedHashMap<>();
        for (String name : parents.get(0).parameters().keySet()) {
            float[][] rows = new float[children.size()][];
            for (int k = 0; k < children.size(); k++) {
                double[] sum = null;
                for (int j = 0; j < parents.size(); j++) {
                    float[] values = parents.get(j).parameters().get(name).getArray().toFloatArray();
                    if (sum == null) {
                        sum = new double[values.length];
                    }
                    for (int i = 0; i < values.length; i++) {
                        sum[i] += weights[k][j] * values[i];
                    }
                }
                rows[k] = new float[sum.length];
                for (int i = 0; i < sum.length; i++) {
                    rows[k][i] = (float) sum[i];
                }
            }
            mixtures.put(name, rows);
        }
        // written only after every mixture is read: in a population merge targets are the sources
        mixtures.forEach((name, rows) -> {
            for (int k = 0; k < children.size(); k++) {
                Fixtures.assign(children.get(k).parameters().get(name).getArray(), rows[k]);
            }
        });
        mixed = true;
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
        if (mixed && !soup) {
            throw new IllegalStateException("parents were overwritten by the children");
        }
        return parents.get(j);
    }

    @Override
    public boolean parentsSurvive() {
        return soup;
    }

    @Override
    public int childCount() {
        return children.size();
    }

    @Override
    public Network child(int k) {
        if (!mixed) {
            throw new IllegalStateException("children exist only after mixing");
        }
        return children.get(k);
    }

    @Override
    public double weight(int child, int parent) {
        return weights[child][parent];
    }

    @Override
    public List<NDArray> calibrationBatches(int count) {
        if (count > batches.size()) {
            throw new IllegalArgumentException("fixture holds " + batches.size() + " batches, " + count + " requested");
        }
        return batches.subList(0, count);
    }

    @Override
    public Map<String, Object> state() {
        return state;
    }

    /** beforeMixing alone, for tests of the parents' side. */
    void measureParents(Aligner aligner) {
        aligner.beforeMixing(this);
    }
}
