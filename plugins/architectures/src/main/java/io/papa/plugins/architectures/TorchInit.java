package io.papa.plugins.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's initialisation rules as DJL initializers, attached to the parameters when a network is
 * built so that the engine's {@code block.initialize} reproduces them. All numbers come from the
 * engine RNG, so {@code Engine.setRandomSeed} makes an initialisation repeatable. BatchNorm needs
 * nothing: DJL's defaults (gamma 1, beta 0, running mean 0, running variance 1) are PyTorch's.
 */
final class TorchInit {

    private TorchInit() {}

    /**
     * {@code nn.Conv2d} / {@code nn.Linear} defaults: {@code kaiming_uniform_(a=sqrt(5))}, i.e.
     * weight ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the bias from the same range.
     */
    static <B extends Block> B pytorchDefault(B network) {
        apply(network, FanInUniform::new);
        return network;
    }

    /**
     * {@code kaiming_normal_} (fan_in, gain sqrt(2)) for conv and linear weights, as He et al.'s CIFAR
     * ResNets do; biases keep the PyTorch default, which {@code kaiming_normal_} leaves untouched.
     */
    static <B extends Block> B kaimingNormal(B network) {
        apply(network, weight -> (manager, shape, type) ->
                manager.randomNormal(0f, (float) Math.sqrt(2.0 / fanIn(shape)), shape, type, manager.getDevice()));
        return network;
    }

    /**
     * torchvision's ResNet: {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")} for conv
     * weights, the PyTorch default for the classifier.
     */
    static <B extends Block> B torchvisionResNet(B network) {
        pytorchDefault(network);
        applyToConvolutions(network, weight -> (manager, shape, type) ->
                manager.randomNormal(0f, (float) Math.sqrt(2.0 / (shape.size() / shape.get(1))), shape, type,
                        manager.getDevice()));
        return network;
    }

    private static void applyToConvolutions(Block block, WeightRule rule) {
        if (block instanceof Convolution) {
            Parameter weight = block.getDirectParameters().get("weight");
            weight.setInitializer(rule.forWeight(weight));
        }
        for (Block child : block.getChildren().values()) {
            applyToConvolutions(child, rule);
        }
    }

    private interface WeightRule {
        Initializer forWeight(Parameter weight);
    }

    private static void apply(Block block, WeightRule rule) {
        if (block instanceof Convolution || block instanceof Linear) {
            Parameter weight = block.getDirectParameters().get("weight");
            weight.setInitializer(rule.forWeight(weight));
            Parameter bias = block.getDirectParameters().get("bias");
            if (bias != null) {
                bias.setInitializer(new FanInUniform(weight));
            }
        }
        for (Block child : block.getChildren().values()) {
            apply(child, rule);
        }
    }

    /** Fan-in of a weight laid out (out, in / groups, kernel...): everything but the first axis. */
    static long fanIn(Shape weightShape) {
        return weightShape.size() / weightShape.get(0);
    }

    /**
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) where fan_in is that of {@code weight}: a bias has no fan-in
     * of its own, and the weight's shape is known once the block has seen its input.
     */
    private static final class FanInUniform implements Initializer {

        private final Parameter weight;

        FanInUniform(Parameter weight) {
            this.weight = weight;
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            float bound = (float) (1.0 / Math.sqrt(fanIn(weight.getShape())));
            return manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
        }
    }
}
