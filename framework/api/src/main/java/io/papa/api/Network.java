package io.papa.api;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Map;

/** One population member's network as aligners see it: its block, named parameters and a forward pass. */
public interface Network {

    Block block();

    /** Every parameter, running statistics included, by stable name (in block order). */
    Map<String, Parameter> parameters();

    /** Logits for {@code images}; in training mode BatchNorm uses and updates batch statistics. */
    NDArray forward(NDArray images, boolean training);
}
