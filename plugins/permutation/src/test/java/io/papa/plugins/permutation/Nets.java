package io.papa.plugins.permutation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.Options;
import io.papa.plugins.architectures.Cnn;
import io.papa.plugins.architectures.Mlp;
import io.papa.plugins.architectures.Resnet18;
import io.papa.plugins.architectures.Resnet20;
import io.papa.plugins.architectures.Vgg11;
import io.papa.plugins.architectures.Vgg13;
import io.papa.plugins.architectures.Vgg16;
import io.papa.plugins.architectures.Vgg19;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The built-in architectures at small widths, and what the tests do to networks. */
final class Nets {

    static final ImageShape CIFAR = new ImageShape(3, 32, 32);
    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    /** One architecture with the options and input a test builds it for. */
    record Spec(Architecture architecture, ImageShape input, Map<String, String> options) {

        String id() {
            return architecture.id();
        }

        @Override
        public String toString() {
            return id() + " " + options + " on " + input;
        }
    }

    private Nets() {
    }

    /** Every built-in architecture; widths small enough for a test. */
    static List<Spec> all() {
        return List.of(
                new Spec(new Resnet18(), CIFAR, Map.of("width", "4")),
                new Spec(new Resnet20(), CIFAR, Map.of("width", "4")),
                new Spec(new Vgg11(), CIFAR, Map.of("width", "4")),
                new Spec(new Vgg13(), CIFAR, Map.of("width", "4")),
                new Spec(new Vgg16(), CIFAR, Map.of("width", "4")),
                new Spec(new Vgg19(), CIFAR, Map.of("width", "4")),
                new Spec(new Cnn(), MNIST, Map.of("width", "4")),
                new Spec(new Mlp(), MNIST, Map.of("hidden", "16,8")));
    }

    static Spec byId(String id) {
        return all().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * Turns autograd off on this (the test) thread, as the engine does for merges: parameters
     * require gradients, and torch rejects in-place writes to them while recording.
     */
    static void noGrad() {
        Engine.getInstance(); // loads the native library
        JniUtils.setGradMode(false);
    }

    static TestNetwork build(NDManager manager, Spec spec, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Options options = Options.resolve(spec.id(), spec.architecture().options(), spec.options());
        Block block = spec.architecture().build(spec.input(), 10, options);
        ImageShape in = spec.input();
        block.initialize(manager, DataType.FLOAT32, new Shape(2, in.channels(), in.height(), in.width()));
        return new TestNetwork(block, manager);
    }

    /**
     * A network whose BatchNorm layers do something: random gamma and beta, and running statistics
     * moved by a few training-mode forwards, so that a wrong permutation of any of them shows.
     */
    static TestNetwork trained(NDManager manager, Spec spec, int seed) {
        TestNetwork network = build(manager, spec, seed);
        for (Parameter parameter : network.parameters().values()) {
            NDArray array = parameter.getArray();
            if (parameter.getType() == Parameter.Type.GAMMA) {
                array.set(new NDIndex("..."), manager.randomUniform(0.5f, 1.5f, array.getShape()));
            } else if (parameter.getType() == Parameter.Type.BETA) {
                array.set(new NDIndex("..."), manager.randomNormal(0f, 0.3f, array.getShape(), DataType.FLOAT32));
            }
        }
        for (int step = 0; step < 40; step++) {
            try (NDManager scope = manager.newSubManager()) {
                network.forward(images(scope, spec.input(), 16), true);
            }
        }
        return network;
    }

    static NDArray images(NDManager manager, ImageShape input, int batch) {
        return manager.randomNormal(new Shape(batch, input.channels(), input.height(), input.width()));
    }

    static List<NDArray> batches(NDManager manager, ImageShape input, int count, int batch) {
        List<NDArray> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            batches.add(images(manager, input, batch));
        }
        return batches;
    }

    /** A second network with the same values as {@code source}. */
    static TestNetwork copy(NDManager manager, Spec spec, TestNetwork source) {
        TestNetwork copy = build(manager, spec, 999);
        source.parameters().forEach((name, parameter) ->
                copy.parameters().get(name).getArray().set(new NDIndex("..."), parameter.getArray()));
        return copy;
    }

    /** A uniformly random permutation of every permutable space's free positions. */
    static SpacePermutation randomPermutation(ChannelSpaces spaces, long seed) {
        Random random = new Random(seed);
        SpacePermutation permutation = SpacePermutation.identity(spaces);
        for (ChannelSpaces.Space space : spaces.permutable()) {
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < space.free().length; k++) {
                order.add(k);
            }
            Collections.shuffle(order, random);
            permutation.setFree(space.index(), order.stream().mapToInt(Integer::intValue).toArray());
        }
        return permutation;
    }

    static ChannelSpaces spaces(TestNetwork network) {
        return ChannelSpaces.derive(network, network.block().getInputShapes()[0]);
    }

    static double maxParameterDifference(TestNetwork a, TestNetwork b) {
        double max = 0;
        for (Map.Entry<String, Parameter> entry : a.parameters().entrySet()) {
            NDArray x = entry.getValue().getArray();
            NDArray y = b.parameters().get(entry.getKey()).getArray();
            max = Math.max(max, x.sub(y).abs().max().getFloat());
        }
        return max;
    }

    static double maxDifference(NDArray x, NDArray y) {
        return x.sub(y).abs().max().getFloat();
    }

    /** {@code sum <W_a, W_b>} over every parameter: the quantity weight matching raises. */
    static double innerProduct(TestNetwork a, TestNetwork b) {
        double total = 0;
        for (Map.Entry<String, Parameter> entry : a.parameters().entrySet()) {
            NDArray x = entry.getValue().getArray().toType(DataType.FLOAT64, false);
            NDArray y = b.parameters().get(entry.getKey()).getArray().toType(DataType.FLOAT64, false);
            total += x.mul(y).sum().getDouble();
        }
        return total;
    }
}
