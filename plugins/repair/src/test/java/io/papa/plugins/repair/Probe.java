package io.papa.plugins.repair;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.papa.api.Network;
import io.papa.api.nn.Forward;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test oracle: per-channel statistics of a network's activations in a training-mode pass, computed
 * in double precision on the host from the raw values, cumulatively averaged over batches (batch
 * mean; unbiased batch variance). Running statistics are put back afterwards.
 */
final class Probe {

    /** Per-channel cumulative mean and variance of one layer. */
    record Stats(double[] mean, double[] variance) {
        double[] std() {
            double[] std = new double[variance.length];
            for (int c = 0; c < std.length; c++) {
                std[c] = Math.sqrt(variance[c]);
            }
            return std;
        }
    }

    private Probe() {
    }

    /** Output statistics of every conv, by path. */
    static Map<String, Stats> convOutputs(Network network, List<NDArray> batches) {
        return measure(network, batches, false);
    }

    /** Input statistics of every BatchNorm, by path. */
    static Map<String, Stats> normInputs(Network network, List<NDArray> batches) {
        return measure(network, batches, true);
    }

    /** Re-estimates only the BatchNorm statistics, as cumulative averages over {@code batches}. */
    static void reestimateBatchNorm(Network network, List<NDArray> batches) {
        Map<String, Stats> inputs = normInputs(network, batches);
        inputs.forEach((path, stats) -> {
            Block norm = leaf(network.block(), path);
            for (Parameter parameter : norm.getDirectParameters().values()) {
                double[] values = parameter.getType() == Parameter.Type.RUNNING_MEAN ? stats.mean()
                        : parameter.getType() == Parameter.Type.RUNNING_VAR ? stats.variance() : null;
                if (values != null) {
                    float[] floats = new float[values.length];
                    for (int c = 0; c < floats.length; c++) {
                        floats[c] = (float) values[c];
                    }
                    Fixtures.assign(parameter.getArray(), floats);
                }
            }
        });
    }

    private static Map<String, Stats> measure(Network network, List<NDArray> batches, boolean normInputs) {
        Map<String, float[]> before = Fixtures.snapshot(network);
        Map<String, double[]> meanSums = new LinkedHashMap<>();
        Map<String, double[]> varianceSums = new LinkedHashMap<>();
        for (NDArray batch : batches) {
            try (NDManager scope = batch.getManager().newSubManager()) {
                batch.tempAttach(scope);
                Forward.run(network.block(), new ParameterStore(scope, false), batch, true, (path, leaf, in, out) -> {
                    NDArray seen = normInputs ? (leaf instanceof BatchNorm ? in : null)
                            : (leaf instanceof Conv2d ? out : null);
                    if (seen != null) {
                        accumulate(seen, meanSums.computeIfAbsent(path, p -> new double[(int) seen.getShape().get(1)]),
                                varianceSums.computeIfAbsent(path, p -> new double[(int) seen.getShape().get(1)]));
                    }
                    return out;
                });
            }
        }
        Fixtures.restore(network, before);
        Map<String, Stats> stats = new LinkedHashMap<>();
        meanSums.forEach((path, sum) -> {
            double[] mean = sum.clone();
            double[] variance = varianceSums.get(path).clone();
            for (int c = 0; c < mean.length; c++) {
                mean[c] /= batches.size();
                variance[c] /= batches.size();
            }
            stats.put(path, new Stats(mean, variance));
        });
        return stats;
    }

    private static void accumulate(NDArray activations, double[] meanSum, double[] varianceSum) {
        float[] values = activations.toFloatArray();
        int batch = (int) activations.getShape().get(0);
        int channels = (int) activations.getShape().get(1);
        int plane = values.length / (batch * channels);
        int n = batch * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < plane; i++) {
                    sum += values[(b * channels + c) * plane + i];
                }
            }
            double mean = sum / n;
            double squares = 0;
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < plane; i++) {
                    double d = values[(b * channels + c) * plane + i] - mean;
                    squares += d * d;
                }
            }
            meanSum[c] += mean;
            varianceSum[c] += squares / (n - 1);
        }
    }

    static Block leaf(Block block, String path) {
        Block current = block;
        for (String name : path.split("/")) {
            current = current.getChildren().get(name);
        }
        return current;
    }
}
