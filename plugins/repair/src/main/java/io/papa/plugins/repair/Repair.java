package io.papa.plugins.repair;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import io.papa.api.Aligner;
import io.papa.api.AlignmentContext;
import io.papa.api.Network;
import io.papa.api.OptionSpec;
import io.papa.api.OptionType;
import io.papa.api.Options;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * REPAIR (Jordan et al., "REPAIR: REnormalizing Permuted Activations for Interpolation Repair"), as
 * the PAPA reference applies it after a merge (recombine/repair.py, {@code correct_neuron_stats*}).
 *
 * <p>Before mixing, every parent runs {@code n_iter} calibration batches in training mode and the
 * per-channel output mean and std of every {@link Conv2d} are recorded (the mean of the batch
 * means and the square root of the mean unbiased batch variance, as the reference's tracking
 * BatchNorm with cumulative averaging records them); a conv that is the network's last leaf is
 * skipped, as in the reference. The training-mode passes update the parents' BatchNorm running
 * statistics in place, so these are saved and restored. After mixing, child k's goal is
 * {@code mean = sum_j w_kj mean_j} and {@code std = sum_j w_kj std_j}: the reference interpolates
 * stds, not variances. One training-mode pass over the same batches then replaces every conv
 * output by its batch-normalised value rescaled to the goal (the reference's ResetLayer in train
 * mode), so that later layers see corrected activations, while recording each conv's raw output
 * statistics and every BatchNorm's input statistics. Every BatchNorm's running statistics become
 * those cumulative averages (the reference resets and re-estimates all of them with
 * {@code momentum=None}), and every conv is fused with its ResetLayer:
 * {@code W' = W * std / sqrt(rv + eps)} per output channel and, with a bias,
 * {@code b' = (b - rm) * std / sqrt(rv + eps) + mean}. Linear layers are not touched, as in the
 * reference. Scaling whole output channels is also right for grouped and dilated convs, which the
 * reference's {@code fuse_conv_bn} gets wrong.
 *
 * <p>A bias-free conv (every ResNet conv) has nowhere to put the shift
 * {@code s = mean - rm * std / sqrt(rv + eps)}. With {@code shift=reference} it is dropped, which
 * is the reference's quirk (the following BN's running mean was estimated on shifted activations,
 * so in eval mode the channel is off by s until training moves the running mean back). With
 * {@code shift=exact} (default) s is folded into the BatchNorm that directly consumes the conv's
 * output: its running mean is lowered by s, which is exactly what giving the conv that bias would
 * do; a bias-free conv without such a BatchNorm is refused, since no exact place for s exists.
 *
 * <p>For a conv directly followed by BatchNorm, REPAIR with {@code shift=exact} gives the same
 * eval-mode function as re-estimating that BatchNorm's statistics alone: a BN normalises away any
 * per-channel affine change of its input, in train mode per batch and in eval mode through
 * statistics re-estimated on the changed input. What remains is eps and a factor
 * {@code sqrt((n - 1) / n)} ({@code n} values per channel per batch: the ResetLayer divides by
 * the biased batch variance, the running variance is unbiased). So in networks with a BatchNorm
 * after every conv (all built-in ones) REPAIR amounts to re-estimating the BatchNorms; it matters
 * most for convs that no BatchNorm follows.
 *
 * <p>Every new value is written into the existing parameter arrays, so optimiser state keyed by
 * the parameter stays valid. The engine runs merges with gradient recording off; this class opens
 * no gradient collector.
 */
@Extension
public final class Repair implements Aligner {

    private static final String ID = "repair";
    private static final String STATE_KEY = "repair.parentStatistics";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "REPAIR: rescale merged conv outputs to the interpolated parent statistics, re-estimate BatchNorm";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                new OptionSpec("n_iter", OptionType.INT, "5",
                        "calibration batches per statistics pass (the reference's n_iter: 5 for CIFAR, 25 for ImageNet)",
                        1.0, null, null),
                OptionSpec.choice("shift", "exact",
                        "bias-free convs: 'exact' folds the mean shift into the following BatchNorm,"
                                + " 'reference' drops it as the reference does", "exact", "reference"),
                new OptionSpec("eps", OptionType.DOUBLE, "1e-5",
                        "added to the variance before dividing, as torch BatchNorm's eps", 0.0, null, null));
    }

    /** What beforeMixing leaves for afterMixing: conv paths with each parent's output statistics. */
    private record ParentStatistics(List<String> convs, Map<String, String> normAfter,
            List<Map<String, ChannelMoments>> parents) {
    }

    @Override
    public void beforeMixing(AlignmentContext context) {
        Options options = context.options();
        List<NDArray> batches = context.calibrationBatches(options.getInt("n_iter"));
        boolean exact = options.getString("shift").equals("exact");
        List<String> convs = null;
        Map<String, String> normAfter = null;
        List<Map<String, ChannelMoments>> parents = new ArrayList<>();
        for (int j = 0; j < context.parentCount(); j++) {
            StatisticsPass pass = StatisticsPass.measuring();
            measureKeepingRunningStatistics(context.parent(j), pass, batches);
            Map<String, ChannelMoments> outputs = pass.convOutputs();
            // the reference skips a conv that is the network's last module
            String last = null;
            for (String path : pass.leaves().keySet()) {
                last = path;
            }
            outputs.remove(last);
            if (convs == null) {
                convs = new ArrayList<>();
                for (String path : pass.leaves().keySet()) {
                    if (outputs.containsKey(path)) {
                        convs.add(path);
                    }
                }
                normAfter = pass.normAfter();
                if (exact) {
                    requireShiftTargets(convs, normAfter, pass.leaves());
                }
            }
            parents.add(outputs);
        }
        context.state().put(STATE_KEY, new ParentStatistics(convs, normAfter, parents));
    }

    @Override
    public void afterMixing(AlignmentContext context) {
        if (!(context.state().get(STATE_KEY) instanceof ParentStatistics measured)) {
            throw new IllegalStateException("repair: afterMixing without the parent statistics of beforeMixing");
        }
        if (measured.parents().size() != context.parentCount()) {
            throw new IllegalStateException("repair: measured " + measured.parents().size() + " parents, the merge has "
                    + context.parentCount());
        }
        Options options = context.options();
        List<NDArray> batches = context.calibrationBatches(options.getInt("n_iter"));
        boolean exact = options.getString("shift").equals("exact");
        double eps = options.getDouble("eps");
        for (int k = 0; k < context.childCount(); k++) {
            Map<String, StatisticsPass.Goal> goals = new LinkedHashMap<>();
            for (String conv : measured.convs()) {
                goals.put(conv, goal(context, k, measured.parents(), conv));
            }
            Network child = context.child(k);
            StatisticsPass pass = StatisticsPass.correcting(goals, eps);
            pass.run(child.block(), batches);
            fuse(child, pass, goals, measured.normAfter(), exact, eps);
        }
    }

    private static StatisticsPass.Goal goal(AlignmentContext context, int child, List<Map<String, ChannelMoments>> parents,
            String conv) {
        double[] mean = null;
        double[] std = null;
        for (int j = 0; j < parents.size(); j++) {
            ChannelMoments moments = parents.get(j).get(conv);
            double[] parentMean = moments.mean();
            double[] parentStd = moments.std();
            if (mean == null) {
                mean = new double[parentMean.length];
                std = new double[parentMean.length];
            }
            double w = context.weight(child, j);
            for (int c = 0; c < mean.length; c++) {
                mean[c] += w * parentMean[c];
                std[c] += w * parentStd[c];
            }
        }
        return new StatisticsPass.Goal(mean, std);
    }

    private static void requireShiftTargets(List<String> convs, Map<String, String> normAfter, Map<String, Block> leaves) {
        for (String path : convs) {
            if (!((Conv2d) leaves.get(path)).isIncludeBias() && !normAfter.containsKey(path)) {
                throw new IllegalStateException("repair: conv '" + path + "' has no bias and is not directly followed by"
                        + " a BatchNorm, so shift=exact has nowhere to put its mean shift; use shift=reference to drop"
                        + " the shift as the PAPA reference does");
            }
        }
    }

    /** Runs a training-mode pass on a parent and puts its BatchNorm running statistics back. */
    private static void measureKeepingRunningStatistics(Network parent, StatisticsPass pass, List<NDArray> batches) {
        List<NDArray> running = new ArrayList<>();
        for (Parameter parameter : parent.parameters().values()) {
            if (parameter.getType() == Parameter.Type.RUNNING_MEAN || parameter.getType() == Parameter.Type.RUNNING_VAR) {
                running.add(parameter.getArray());
            }
        }
        NDArray first = batches.get(0);
        try (NDManager scope = first.getManager().newSubManager(first.getDevice())) {
            List<NDArray> saved = new ArrayList<>();
            for (NDArray array : running) {
                NDArray copy = array.duplicate();
                copy.attach(scope);
                saved.add(copy);
            }
            try {
                pass.run(parent.block(), batches);
            } finally {
                for (int i = 0; i < running.size(); i++) {
                    assign(running.get(i), saved.get(i));
                }
            }
        }
    }

    /** Fuses every corrected conv with its ResetLayer and installs the re-estimated BatchNorm statistics. */
    private static void fuse(Network child, StatisticsPass pass, Map<String, StatisticsPass.Goal> goals,
            Map<String, String> normAfter, boolean exact, double eps) {
        NDArray any = child.parameters().values().iterator().next().getArray();
        try (NDManager scope = any.getManager().newSubManager(any.getDevice())) {
            Map<String, double[]> normShift = new HashMap<>();
            for (Map.Entry<String, StatisticsPass.Goal> entry : goals.entrySet()) {
                String path = entry.getKey();
                StatisticsPass.Goal goal = entry.getValue();
                ChannelMoments raw = pass.convOutputs().get(path);
                double[] rm = raw.mean();
                double[] rv = raw.variance();
                int channels = rm.length;
                double[] scale = new double[channels];
                double[] shift = new double[channels];
                for (int c = 0; c < channels; c++) {
                    scale[c] = goal.std()[c] / Math.sqrt(rv[c] + eps);
                    shift[c] = goal.mean()[c] - rm[c] * scale[c];
                }
                Block conv = pass.leaves().get(path);
                NDArray weight = parameter(conv, Parameter.Type.WEIGHT).getArray();
                assign(weight, vector(scope, scale, weight, new Shape(channels, 1, 1, 1)).mul(weight));
                Parameter bias = parameter(conv, Parameter.Type.BIAS);
                if (bias != null) {
                    // (b - rm) * scale + mean = b * scale + shift
                    NDArray b = bias.getArray();
                    assign(b, vector(scope, scale, b, b.getShape()).mul(b).add(vector(scope, shift, b, b.getShape())));
                } else if (exact) {
                    normShift.put(normAfter.get(path), shift);
                }
            }
            for (Map.Entry<String, ChannelMoments> entry : pass.normInputs().entrySet()) {
                Block norm = pass.leaves().get(entry.getKey());
                double[] mean = entry.getValue().mean();
                double[] shift = normShift.get(entry.getKey());
                if (shift != null) {
                    // the BN input will lack s; its statistics were estimated with s included
                    for (int c = 0; c < mean.length; c++) {
                        mean[c] -= shift[c];
                    }
                }
                NDArray runningMean = parameter(norm, Parameter.Type.RUNNING_MEAN).getArray();
                NDArray runningVar = parameter(norm, Parameter.Type.RUNNING_VAR).getArray();
                assign(runningMean, vector(scope, mean, runningMean, runningMean.getShape()));
                assign(runningVar, vector(scope, entry.getValue().variance(), runningVar, runningVar.getShape()));
            }
        }
    }

    private static Parameter parameter(Block block, Parameter.Type type) {
        for (Parameter parameter : block.getDirectParameters().values()) {
            if (parameter.getType() == type) {
                return parameter;
            }
        }
        return null;
    }

    private static NDArray vector(NDManager scope, double[] values, NDArray like, Shape shape) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return scope.create(floats, shape).toType(like.getDataType(), false);
    }

    /** Overwrites in place, so that every holder of the array (optimiser state included) sees the values. */
    private static void assign(NDArray target, NDArray value) {
        target.set(new NDIndex("..."), value);
    }
}
