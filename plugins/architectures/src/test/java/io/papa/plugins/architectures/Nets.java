package io.papa.plugins.architectures;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Builds and runs networks the way the engine does: resolve options, build, initialize, forward. */
final class Nets {

    static final ImageShape CIFAR = new ImageShape(3, 32, 32);
    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    private Nets() {}

    static Stream<Architecture> all() {
        return Stream.of(new Resnet18(), new Resnet20(), new Resnet50(), new Vgg11(), new Vgg13(), new Vgg16(), new Vgg19(),
                new Cnn(), new Mlp());
    }

    static Architecture byId(String id) {
        return all().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    static Options options(Architecture architecture, Map<String, String> given) {
        return Options.resolve("architecture '" + architecture.id() + "'", architecture.options(), given);
    }

    static Block build(Architecture architecture, ImageShape input, int classes, Map<String, String> given) {
        return architecture.build(input, classes, options(architecture, given));
    }

    static Block initialized(NDManager manager, Architecture architecture, ImageShape input, int classes,
            Map<String, String> given) {
        Block block = build(architecture, input, classes, given);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, input.channels(), input.height(), input.width()));
        return block;
    }

    static Block initialized(NDManager manager, Architecture architecture, ImageShape input, int classes) {
        return initialized(manager, architecture, input, classes, Map.of());
    }

    static NDArray forward(NDManager manager, Block block, NDArray images, boolean training) {
        return block.forward(new ParameterStore(manager, false), new NDList(images), training).singletonOrThrow();
    }

    static boolean isRunningStatistic(Parameter parameter) {
        return parameter.getType() == Parameter.Type.RUNNING_MEAN || parameter.getType() == Parameter.Type.RUNNING_VAR;
    }

    static long trainableParameterCount(Block block) {
        return block.getParameters().values().stream().filter(p -> !isRunningStatistic(p))
                .mapToLong(p -> p.getArray().size()).sum();
    }

    /** Every block of the tree, depth first, that matches {@code filter}. */
    static List<Block> blocks(Block root, Predicate<Block> filter) {
        List<Block> found = new ArrayList<>();
        collect(root, filter, found);
        return found;
    }

    private static void collect(Block block, Predicate<Block> filter, List<Block> found) {
        if (filter.test(block)) {
            found.add(block);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), filter, found);
        }
    }
}
