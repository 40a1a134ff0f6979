package io.papa.engine.population;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.papa.api.Network;
import io.papa.api.nn.Forward;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.optim.MemberOptimizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One slot of the population: its network, its regularisation strengths, its data stream and its
 * optimiser. A merge replaces the network's values but never the slot's stream or optimiser state,
 * as in the reference.
 */
public final class Member implements Network {

    private final int index;
    private final Block block;
    private final ParameterStore store;
    private final Map<String, Parameter> parameters;
    private final Map<String, Double> regularization;
    private final TrainingStream stream;
    private final MemberOptimizer optimizer;

    Member(int index, Block block, ParameterStore store, Map<String, Double> regularization, TrainingStream stream,
            MemberOptimizer optimizer) {
        this.index = index;
        this.block = block;
        this.store = store;
        Map<String, Parameter> named = new LinkedHashMap<>();
        block.getParameters().forEach(pair -> named.put(pair.getKey(), pair.getValue()));
        this.parameters = Collections.unmodifiableMap(named);
        this.regularization = regularization;
        this.stream = stream;
        this.optimizer = optimizer;
    }

    public int index() {
        return index;
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** The network's output; intermediate activations are released as soon as they are consumed. */
    @Override
    public NDArray forward(NDArray images, boolean training) {
        return Forward.runReleasing(block, store, images, training);
    }

    /** Strength per regulariser id drawn for this member. */
    public Map<String, Double> regularization() {
        return regularization;
    }

    public TrainingStream stream() {
        return stream;
    }

    public MemberOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public String toString() {
        return "member " + index + " " + regularization;
    }
}
