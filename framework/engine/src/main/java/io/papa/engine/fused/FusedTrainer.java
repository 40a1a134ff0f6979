package io.papa.engine.fused;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.papa.api.Regularizer;
import io.papa.engine.compute.Compute;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.optim.MemberOptimizer;
import io.papa.engine.population.Member;
import io.papa.engine.population.NonFiniteLossException;
import io.papa.engine.population.Population;
import io.papa.engine.population.PopulationConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The population training step of {@link Population#trainStep()} on a {@link FusedNetwork}: each
 * member still takes its own batch from its own stream (own order, own regularisers) and has its own
 * mean soft-target cross-entropy, but all members run as one forward and one backward pass under a
 * single gradient collector. The loss is the sum of the member losses, so each member's gradient is
 * what it would be alone.
 *
 * <p>One optimiser updates the fused tensors. SGD, Adam and AdamW are element-wise, so on each
 * member's slice this is that member's own optimiser; Adam's bias correction uses a step count per
 * parameter, which is the same for all members because every member steps every time.
 */
public final class FusedTrainer {

    private final FusedNetwork network;
    private final List<TrainingStream> streams;
    private final MemberOptimizer optimizer;
    private final NDManager manager;
    private final Device device;

    /**
     * @param streams member {@code k}'s training stream at index {@code k}
     * @param optimizer a fresh optimiser for the fused tensors (see {@link #loadOptimizers} to carry
     *     over the members' state)
     */
    public FusedTrainer(FusedNetwork network, List<TrainingStream> streams, MemberOptimizer optimizer,
            NDManager manager, Device device) {
        if (streams.size() != network.size()) {
            throw new IllegalArgumentException(streams.size() + " streams for " + network.size() + " members");
        }
        this.network = network;
        this.streams = List.copyOf(streams);
        this.optimizer = optimizer;
        this.manager = manager;
        this.device = device;
    }

    /**
     * A fused trainer for a population's members, with their current values and optimiser state, their
     * streams and their optimiser settings. Changes made by the fused trainer reach the members only
     * through {@link FusedNetwork#store} and {@link #storeOptimizers}.
     *
     * @throws UnfusableBlockException when the architecture has a block that cannot be fused
     */
    public static FusedTrainer forPopulation(Population population) {
        List<Member> members = population.members();
        FusedNetwork network = PopulationFuser.fuse(members.get(0).block(), members.size(), population.imageShape(),
                population.manager());
        network.load(members);
        PopulationConfig config = population.config();
        MemberOptimizer optimizer = MemberOptimizer.create(config.optimizer(), config.momentum(),
                config.weightDecay(), population.manager());
        FusedTrainer trainer = new FusedTrainer(network, members.stream().map(Member::stream).toList(), optimizer,
                population.manager(), population.device());
        trainer.loadOptimizers(members.stream().map(Member::optimizer).toList());
        return trainer;
    }

    public FusedNetwork network() {
        return network;
    }

    public MemberOptimizer optimizer() {
        return optimizer;
    }

    /**
     * One optimisation step of every member at learning rate {@code lr}.
     *
     * @return each member's loss on its batch
     * @throws NonFiniteLossException naming the member when a loss is NaN or infinite (no parameter
     *     has changed then)
     */
    public float[] trainStep(double lr) {
        Compute.noGradOnThisThread();
        float[] losses;
        try (NDManager batchManager = manager.newSubManager(device)) {
            NDArray memberLosses;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList images = new NDList(streams.size());
                NDList targets = new NDList(streams.size());
                for (TrainingStream stream : streams) {
                    Regularizer.Batch batch = stream.next(batchManager, device);
                    images.add(batch.images());
                    targets.add(batch.targets());
                }
                requireOneBatchSize(images);
                NDArray logits = network.forward(NDArrays.concat(images, 1), true);
                // (B, n, K) -> each member's mean over its batch of the soft-target cross-entropy
                memberLosses = logits.logSoftmax(2).mul(NDArrays.stack(targets, 1)).sum(new int[] {2}).neg()
                        .mean(new int[] {0});
                collector.backward(memberLosses.sum());
            }
            losses = memberLosses.toFloatArray();
            for (int k = 0; k < losses.length; k++) {
                if (!Float.isFinite(losses[k])) {
                    zeroGradients();
                    throw new NonFiniteLossException("member " + k + " has loss " + losses[k] + " (fused step, lr "
                            + lr + "); training diverged: lower --lr, or check the data");
                }
            }
            for (Map.Entry<String, Parameter> entry : network.parameters().entrySet()) {
                Parameter parameter = entry.getValue();
                if (!parameter.requiresGradient()) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                try (NDArray gradient = weight.getGradient()) {
                    optimizer.update(entry.getKey(), weight, gradient, lr);
                }
                // the collector does not zero gradients; a stale one would be added to the next step's
                Compute.zeroGradient(weight);
            }
        }
        return losses;
    }

    private void zeroGradients() {
        for (Parameter parameter : network.parameters().values()) {
            if (parameter.requiresGradient()) {
                Compute.zeroGradient(parameter.getArray());
            }
        }
    }

    private static void requireOneBatchSize(NDList images) {
        long size = images.get(0).getShape().get(0);
        for (int k = 1; k < images.size(); k++) {
            if (images.get(k).getShape().get(0) != size) {
                throw new IllegalStateException("fused training needs one batch size for all members: member 0 has "
                        + size + " images, member " + k + " has " + images.get(k).getShape().get(0));
            }
        }
    }

    /**
     * Sets the fused optimiser's state from the members' optimisers (e.g. restored from a checkpoint).
     * Their step counters must agree: the fused optimiser has one per parameter.
     */
    public void loadOptimizers(List<MemberOptimizer> sources) {
        if (sources.size() != network.size()) {
            throw new IllegalArgumentException(sources.size() + " optimisers for " + network.size() + " members");
        }
        MemberOptimizer first = sources.get(0);
        for (int k = 1; k < sources.size(); k++) {
            if (!sources.get(k).counters().equals(first.counters())
                    || !sources.get(k).state().keySet().equals(first.state().keySet())) {
                throw new IllegalArgumentException("member " + k + "'s optimiser state does not match member 0's"
                        + " (step counts or state entries differ); the fused optimiser needs them equal");
            }
        }
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (String key : first.state().keySet()) {
            NDList perMember = new NDList(sources.size());
            sources.forEach(source -> perMember.add(source.state().get(key)));
            state.put(key, network.join(parameterOf(key), perMember));
        }
        optimizer.restore(state, new LinkedHashMap<>(first.counters()));
    }

    /** Writes member {@code k}'s part of the fused optimiser's state into {@code targets.get(k)}. */
    public void storeOptimizers(List<MemberOptimizer> targets) {
        if (targets.size() != network.size()) {
            throw new IllegalArgumentException(targets.size() + " optimisers for " + network.size() + " members");
        }
        for (int k = 0; k < targets.size(); k++) {
            Map<String, NDArray> state = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> entry : optimizer.state().entrySet()) {
                state.put(entry.getKey(), network.part(parameterOf(entry.getKey()), entry.getValue(), k));
            }
            targets.get(k).restore(state, new LinkedHashMap<>(optimizer.counters()));
        }
    }

    /** State keys are {@code <parameter>.<kind>}, e.g. {@code 01Conv2d_weight.momentum}. */
    private String parameterOf(String stateKey) {
        int dot = stateKey.lastIndexOf('.');
        String name = dot < 0 ? stateKey : stateKey.substring(0, dot);
        if (!network.parameters().containsKey(name)) {
            throw new IllegalArgumentException("optimiser state " + stateKey + " belongs to no parameter");
        }
        return name;
    }
}
