package io.papa.engine.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.papa.api.Network;
import java.util.List;
import java.util.Map;

/**
 * Applies mixing weights to networks: {@code target_k = sum_j w[k][j] * source_j} for every
 * parameter and running statistic, one tensor at a time (one stacked matrix product per tensor, or
 * one weighted sum when every target takes the same mixture), so a merge never holds more than
 * the members' copies of a single tensor besides the networks themselves.
 */
public final class Mixer {

    private Mixer() {
    }

    /**
     * @param weights {@code targets.size()} rows of {@code sources.size()} weights
     * @param targets may be the sources themselves: every tensor is read before it is written
     */
    public static void mix(List<? extends Network> sources, double[][] weights, List<? extends Network> targets) {
        mix(sources, weights, targets, null);
    }

    /** Element-wise merge of one tensor: members stacked on axis 0 to children stacked on axis 0. */
    @FunctionalInterface
    public interface Combiner {
        NDArray combine(String parameter, NDArray members);
    }

    /**
     * As {@link #mix(List, double[][], List)}, but with {@code combiner} (when not null) computing
     * each tensor's children instead of the weighted sum.
     */
    public static void mix(List<? extends Network> sources, double[][] weights, List<? extends Network> targets,
            Combiner combiner) {
        if (weights.length != targets.size()) {
            throw new IllegalArgumentException(weights.length + " weight rows for " + targets.size() + " targets");
        }
        Map<String, Parameter> first = sources.get(0).parameters();
        NDArray anyArray = first.values().iterator().next().getArray();
        // every child the same mixture (averaging, soups): one weighted sum per tensor, copied to each child
        boolean sameRows = combiner == null && java.util.Arrays.stream(weights)
                .allMatch(row -> java.util.Arrays.equals(row, weights[0]));
        int rows = sameRows ? 1 : weights.length;
        try (NDManager scope = anyArray.getManager().newSubManager(anyArray.getDevice())) {
            float[] flat = new float[rows * sources.size()];
            for (int k = 0; k < rows; k++) {
                for (int j = 0; j < sources.size(); j++) {
                    flat[k * sources.size() + j] = (float) weights[k][j];
                }
            }
            NDArray w = scope.create(flat, new Shape(rows, sources.size()));
            for (String name : first.keySet()) {
                NDList columns = new NDList(sources.size());
                for (Network source : sources) {
                    Parameter parameter = source.parameters().get(name);
                    if (parameter == null) {
                        throw new IllegalArgumentException("networks differ: parameter " + name + " is missing");
                    }
                    columns.add(parameter.getArray());
                }
                // this tensor's temporaries go before the next tensor's are made
                try (NDManager tensorScope = scope.newSubManager()) {
                    NDArray like = columns.get(0);
                    Shape shape = like.getShape();
                    NDArray stacked = NDArrays.stack(columns);
                    stacked.attach(tensorScope);
                    // running statistics in integer types (none in DJL today) would not survive a weighted sum
                    NDArray values = stacked.toType(DataType.FLOAT32, false);
                    NDArray mixed = combiner != null ? combiner.combine(name, values).reshape(targets.size(), -1)
                            : w.toDevice(like.getDevice(), false).dot(values.reshape(sources.size(), -1));
                    mixed.attach(tensorScope);
                    NDArray shared = sameRows ? mixed.get(0).reshape(shape).toType(like.getDataType(), false) : null;
                    for (int k = 0; k < targets.size(); k++) {
                        NDArray target = targets.get(k).parameters().get(name).getArray();
                        assign(target, shared != null ? shared
                                : mixed.get(k).reshape(shape).toType(like.getDataType(), false));
                    }
                }
            }
        }
    }

    /** Overwrites {@code target}'s values in place, so every holder of the array sees them. */
    public static void assign(NDArray target, NDArray value) {
        target.set(new NDIndex("..."), value);
    }
}
