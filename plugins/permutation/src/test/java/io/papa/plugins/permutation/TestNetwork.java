package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.papa.api.Network;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An initialised block as the engine presents a member: parameters by their block names, a plain forward. */
final class TestNetwork implements Network {

    private final Block block;
    private final ParameterStore store;
    private final Map<String, Parameter> parameters;

    TestNetwork(Block block, NDManager manager) {
        this.block = block;
        this.store = new ParameterStore(manager, false);
        Map<String, Parameter> named = new LinkedHashMap<>();
        block.getParameters().forEach(pair -> named.put(pair.getKey(), pair.getValue()));
        this.parameters = Collections.unmodifiableMap(named);
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    @Override
    public NDArray forward(NDArray images, boolean training) {
        return block.forward(store, new NDList(images), training).singletonOrThrow();
    }
}
