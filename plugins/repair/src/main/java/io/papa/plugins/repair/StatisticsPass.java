package io.papa.plugins.repair;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.papa.api.nn.Forward;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training-mode forward passes over the calibration batches that record per-channel statistics leaf
 * by leaf. Without goals it measures every convolution's output (a parent). With goals it is the
 * reference's child pass: each goal conv's output is normalised with its batch statistics and
 * rescaled to the goal (a ResetLayer in train mode), and every BatchNorm's input is measured too.
 */
final class StatisticsPass implements Forward.Tap {

    /** Target per-channel mean and std of one conv's output. */
    record Goal(double[] mean, double[] std) {
    }

    private final Map<String, Goal> goals;
    private final double eps;

    private final Map<String, Block> leaves = new LinkedHashMap<>();
    private final Map<String, String> normAfter = new HashMap<>();
    private final Map<String, ChannelMoments> convOutputs = new HashMap<>();
    private final Map<String, ChannelMoments> normInputs = new LinkedHashMap<>();

    private String previousPath;
    private NDArray previousOutput;

    private StatisticsPass(Map<String, Goal> goals, double eps) {
        this.goals = goals;
        this.eps = eps;
    }

    static StatisticsPass measuring() {
        return new StatisticsPass(null, 0);
    }

    static StatisticsPass correcting(Map<String, Goal> goals, double eps) {
        return new StatisticsPass(goals, eps);
    }

    void run(Block network, List<NDArray> batches) {
        for (NDArray batch : batches) {
            try (NDManager scope = batch.getManager().newSubManager(batch.getDevice())) {
                // an op's result joins its first operand's manager: lending the batch to this scope
                // makes it own every activation of the pass, released batch by batch
                batch.tempAttach(scope);
                previousPath = null;
                previousOutput = null;
                Forward.run(network, new ParameterStore(scope, false), batch, true, this);
            }
        }
    }

    @Override
    public NDArray leaf(String path, Block leaf, NDArray input, NDArray output) {
        leaves.putIfAbsent(path, leaf);
        NDArray result = output;
        if (leaf instanceof Conv2d && (goals == null || goals.containsKey(path))) {
            ChannelMoments.Batch batch = ChannelMoments.Batch.of(path, output);
            convOutputs.computeIfAbsent(path, p -> new ChannelMoments()).add(batch);
            if (goals != null) {
                result = rescale(batch, goals.get(path));
            }
        } else if (leaf instanceof BatchNorm) {
            // reference equality: the BN consumes exactly what the conv emitted, nothing in between
            if (input == previousOutput && leaves.get(previousPath) instanceof Conv2d
                    && channels(leaf) == input.getShape().get(1)) {
                normAfter.put(previousPath, path);
            }
            if (goals != null) {
                normInputs.computeIfAbsent(path, p -> new ChannelMoments()).add(ChannelMoments.Batch.of(path, input));
            }
        }
        previousPath = path;
        previousOutput = result;
        return result;
    }

    private NDArray rescale(ChannelMoments.Batch batch, Goal goal) {
        float[] factor = new float[goal.std().length];
        float[] mean = new float[factor.length];
        for (int c = 0; c < factor.length; c++) {
            // torch BN in train mode divides by the biased batch variance
            factor[c] = (float) (goal.std()[c] / Math.sqrt(batch.biasedVariance()[c] + eps));
            mean[c] = (float) goal.mean()[c];
        }
        NDManager scope = batch.centered().getManager();
        return batch.centered().mul(scope.create(factor, batch.channelShape()))
                .add(scope.create(mean, batch.channelShape()));
    }

    private static long channels(Block norm) {
        for (Parameter parameter : norm.getDirectParameters().values()) {
            if (parameter.getType() == Parameter.Type.RUNNING_MEAN) {
                return parameter.getArray().getShape().size();
            }
        }
        return -1;
    }

    /** Leaves in execution order, by path. */
    Map<String, Block> leaves() {
        return leaves;
    }

    /** Conv path to the path of the BatchNorm that directly consumes its output. */
    Map<String, String> normAfter() {
        return normAfter;
    }

    /** Raw (uncorrected) output statistics of each measured conv. */
    Map<String, ChannelMoments> convOutputs() {
        return convOutputs;
    }

    /** Input statistics of every BatchNorm, in execution order (correcting passes only). */
    Map<String, ChannelMoments> normInputs() {
        return normInputs;
    }
}
