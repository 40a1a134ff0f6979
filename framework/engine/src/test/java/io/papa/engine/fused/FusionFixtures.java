package io.papa.engine.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.Network;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import io.papa.api.nn.Residual;
import io.papa.api.nn.ZeroPadShortcut;
import io.papa.engine.compute.Compute;
import io.papa.engine.data.ImageBatches;
import io.papa.engine.data.RegularizerStep;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.optim.MemberOptimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Networks built from the same blocks as the architecture plugins (which build after the engine, so
 * the engine's tests cannot use them), synthetic data, and the per-member training step of
 * {@code Population.trainStep} as the reference the fused path must match.
 */
public final class FusionFixtures {

    static final int CLASSES = 5;

    private FusionFixtures() {
    }

    /** The test architectures, with the input each one is tested on. */
    enum Arch {
        /** stem, identity / option-A / projection BasicBlocks, global average pooling, Linear */
        RESNET(new ImageShape(3, 8, 8), () -> resnet(4, 1, true)),
        /** bias convs + BN + max-pool (one grouped conv), flatten of a 2x2 map, Linear */
        VGG(new ImageShape(3, 8, 8), FusionFixtures::vgg),
        /** flatten, Linear, ReLU, Linear */
        MLP(new ImageShape(1, 6, 6), FusionFixtures::mlp);

        final ImageShape input;
        final Supplier<Block> builder;

        Arch(ImageShape input, Supplier<Block> builder) {
            this.input = input;
            this.builder = builder;
        }
    }

    static Conv2d conv3x3(int filters, int stride, boolean bias) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride)).optBias(bias).setFilters(filters).build();
    }

    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    static Block basicBlock(int filters, int stride, Block shortcut) {
        SequentialBlock main = new SequentialBlock().addAll(conv3x3(filters, stride, false), batchNorm(),
                Activation.reluBlock(), conv3x3(filters, 1, false), batchNorm());
        return new SequentialBlock().addAll(new Residual(main, shortcut), Activation.reluBlock());
    }

    /**
     * A CIFAR ResNet as the resnet20 plugin builds it: three stages of {@code blocks} BasicBlocks
     * with option-A shortcuts. With {@code projection}, the last stage's shortcut is ResNet-18's
     * 1x1 conv + BN instead, so that one network exercises both kinds.
     */
    static Block resnet(int width, int blocks, boolean projection) {
        SequentialBlock net = new SequentialBlock()
                .add(conv3x3(width, 1, false)).add(batchNorm()).add(Activation.reluBlock());
        int channels = width;
        for (int stage = 0; stage < 3; stage++) {
            int filters = width << stage;
            SequentialBlock layer = new SequentialBlock();
            for (int i = 0; i < blocks; i++) {
                int stride = i == 0 && stage > 0 ? 2 : 1;
                Block skip = null;
                if (stride != 1 || channels != filters) {
                    skip = projection && stage == 2
                            ? new SequentialBlock().add(Conv2d.builder().setKernelShape(new Shape(1, 1))
                                    .optStride(new Shape(stride, stride)).optBias(false).setFilters(filters).build())
                                    .add(batchNorm())
                            : new ZeroPadShortcut(channels, filters, stride);
                }
                layer.add(basicBlock(filters, stride, skip));
                channels = filters;
            }
            net.add(layer);
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(CLASSES).build());
    }

    static Block vgg() {
        return new SequentialBlock()
                .add(conv3x3(4, 1, true)).add(batchNorm()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optGroups(2)
                        .setFilters(6).build())
                .add(batchNorm()).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    static Block mlp() {
        return new SequentialBlock().add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(7).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(CLASSES).build());
    }

    /** One member: a block, its named parameters and a forward pass, as {@code Member} has them. */
    public static final class TestNet implements Network {
        final Block block;
        private final ParameterStore store;
        private final Map<String, Parameter> parameters = new LinkedHashMap<>();

        public TestNet(Block block, NDManager manager) {
            this.block = block;
            this.store = new ParameterStore(manager, false);
            block.getParameters().forEach(pair -> parameters.put(pair.getKey(), pair.getValue()));
        }

        @Override
        public Block block() {
            return block;
        }

        @Override
        public Map<String, Parameter> parameters() {
            return Collections.unmodifiableMap(parameters);
        }

        @Override
        public NDArray forward(NDArray images, boolean training) {
            return block.forward(store, new NDList(images), training).singletonOrThrow();
        }
    }

    /**
     * {@code n} members of {@code arch}, each from its own seed. BatchNorm scales, shifts and running
     * statistics are drawn at random too, so that members differ in every tensor.
     */
    static List<TestNet> members(Arch arch, int n, long seed, NDManager manager) {
        Compute.noGradOnThisThread();
        List<TestNet> nets = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Engine.getInstance().setRandomSeed((int) seed + 31 * k);
            Block block = arch.builder.get();
            ImageShape in = arch.input;
            block.initialize(manager, DataType.FLOAT32, new Shape(1, in.channels(), in.height(), in.width()));
            TestNet net = new TestNet(block, manager);
            net.parameters().values().forEach(p -> {
                NDArray a = p.getArray();
                switch (p.getType()) {
                    case GAMMA, RUNNING_VAR -> a.set(new NDIndex("..."),
                            manager.randomUniform(0.6f, 1.4f, a.getShape()));
                    case BETA, RUNNING_MEAN, BIAS -> a.set(new NDIndex("..."),
                            manager.randomNormal(0f, 0.2f, a.getShape(), DataType.FLOAT32));
                    default -> {
                    }
                }
            });
            nets.add(net);
        }
        return nets;
    }

    /** Random pixels with random labels. */
    static final class RandomImages implements LabeledImages {
        private final ImageShape shape;
        private final float[] pixels;
        private final int[] labels;

        RandomImages(ImageShape shape, int size, long seed) {
            Random random = new Random(seed);
            this.shape = shape;
            this.pixels = new float[size * shape.size()];
            this.labels = new int[size];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat();
            }
            for (int i = 0; i < size; i++) {
                labels[i] = random.nextInt(CLASSES);
            }
        }

        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public ImageShape shape() {
            return shape;
        }

        @Override
        public int label(int index) {
            return labels[index];
        }

        @Override
        public void read(int index, float[] destination, int offset) {
            System.arraycopy(pixels, index * shape.size(), destination, offset, shape.size());
        }
    }

    /** Mixup-like: mixes each image and target with the batch reversed, weight drawn per batch. */
    static final class TestMix implements Regularizer {
        @Override
        public String id() {
            return "test-mix";
        }

        @Override
        public String description() {
            return "mixes a batch with itself reversed";
        }

        @Override
        public Stage stage() {
            return Stage.MIX;
        }

        @Override
        public String strengthName() {
            return "amount";
        }

        @Override
        public Batch transformBatch(Batch batch, double strength, Options options, RandomGenerator random) {
            float lambda = (float) (1 - strength * random.nextDouble());
            return new Batch(mix(batch.images(), lambda), mix(batch.targets(), lambda));
        }

        private static NDArray mix(NDArray x, float lambda) {
            return x.mul(lambda).add(x.flip(0).mul(1 - lambda));
        }
    }

    /** Member {@code k}'s stream; odd members mix their batches, so members see different targets. */
    static List<TrainingStream> streams(ImageShape shape, int n, int batchSize, long seed) {
        float[] mean = new float[shape.channels()];
        float[] std = new float[shape.channels()];
        Arrays.fill(mean, 0.5f);
        Arrays.fill(std, 0.29f);
        ImageBatches images = new ImageBatches(new RandomImages(shape, 40, seed), mean, std);
        List<TrainingStream> streams = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            List<RegularizerStep> pipeline = k % 2 == 1
                    ? List.of(new RegularizerStep(new TestMix(), 0.5, Options.none("test-mix")))
                    : List.of();
            streams.add(new TrainingStream(images, batchSize, CLASSES, pipeline, TrainingStream.mix(seed, k)));
        }
        return streams;
    }

    static List<MemberOptimizer> optimizers(String kind, int n, NDManager manager) {
        List<MemberOptimizer> optimizers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            optimizers.add(MemberOptimizer.create(kind, 0.9, 5e-4, manager));
        }
        return optimizers;
    }

    /** The per-member step, as {@code Population.trainStep} does it. */
    static float[] perMemberStep(List<TestNet> nets, List<TrainingStream> streams, List<MemberOptimizer> optimizers,
            NDManager manager, double lr) {
        Compute.noGradOnThisThread();
        float[] losses = new float[nets.size()];
        try (NDManager batchManager = manager.newSubManager()) {
            List<NDArray> memberLosses = new ArrayList<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray total = null;
                for (int k = 0; k < nets.size(); k++) {
                    Regularizer.Batch batch = streams.get(k).next(batchManager, Device.cpu());
                    NDArray logits = nets.get(k).forward(batch.images(), true);
                    NDArray loss = logits.logSoftmax(1).mul(batch.targets()).sum(new int[] {1}).neg().mean();
                    memberLosses.add(loss);
                    total = total == null ? loss : total.add(loss);
                }
                collector.backward(total);
            }
            for (int k = 0; k < nets.size(); k++) {
                losses[k] = memberLosses.get(k).getFloat();
                for (Map.Entry<String, Parameter> entry : nets.get(k).parameters().entrySet()) {
                    Parameter parameter = entry.getValue();
                    if (!parameter.requiresGradient()) {
                        continue;
                    }
                    NDArray weight = parameter.getArray();
                    try (NDArray gradient = weight.getGradient()) {
                        optimizers.get(k).update(entry.getKey(), weight, gradient, lr);
                        gradient.subi(gradient);
                    }
                }
            }
        }
        return losses;
    }

    /** Largest absolute difference between member {@code k}'s tensors and its part of the fused ones. */
    static double maxDifference(FusedNetwork fused, List<? extends Network> members) {
        double max = 0;
        for (int k = 0; k < members.size(); k++) {
            for (Map.Entry<String, Parameter> entry : members.get(k).parameters().entrySet()) {
                NDArray want = entry.getValue().getArray();
                try (NDArray part = fused.part(entry.getKey(), fused.parameters().get(entry.getKey()).getArray(), k)) {
                    assertEquals(want.getShape(), part.getShape(), entry.getKey());
                    max = Math.max(max, maxDifference(part, want));
                }
            }
        }
        return max;
    }

    static double maxDifference(NDArray a, NDArray b) {
        try (NDArray d = a.sub(b); NDArray abs = d.abs(); NDArray m = abs.max()) {
            return m.getFloat();
        }
    }

    /** The members' batches side by side along channels, as the fused network takes them. */
    static NDArray stackChannels(List<NDArray> perMember) {
        return NDArrays.concat(new NDList(perMember), 1);
    }
}
