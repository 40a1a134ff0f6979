package io.papa.plugins.repair;

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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.papa.api.Aligner;
import io.papa.api.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Small real networks, seeded calibration batches and parameter snapshots. */
final class Fixtures {

    /** Calibration batch shape: 32 images give n = 32 * 8 * 8 = 2048 values per channel per batch. */
    static final Shape BATCH = new Shape(32, 3, 8, 8);

    private Fixtures() {
    }

    /** As on the engine's merge thread: no autograd, so parameters can be written in place. */
    static void noGrad() {
        Engine.getInstance(); // loads the native library that JniUtils calls into
        JniUtils.setGradMode(false);
    }

    /** conv(bias) - ReLU - conv(bias) - flatten - linear: no BatchNorm anywhere. */
    static Block biasNet() {
        return new SequentialBlock().add(conv(true)).add(Activation.reluBlock()).add(conv(true))
                .add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(4).build());
    }

    /** conv(no bias) - BN - ReLU - conv(no bias) - BN - ReLU - global pool - linear, as in a ResNet. */
    static Block normNet() {
        return new SequentialBlock().add(conv(false)).add(batchNorm()).add(Activation.reluBlock())
                .add(conv(false)).add(batchNorm()).add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(4).build());
    }

    /** BN on the images - conv(no bias) - BN - ReLU - global pool - linear. */
    static Block inputNormNet() {
        return new SequentialBlock().add(batchNorm()).add(conv(false)).add(batchNorm()).add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(4).build());
    }

    /** conv(no bias) - ReLU - conv(no bias) - ReLU - global pool - linear: no place for an exact shift. */
    static Block bareNet() {
        return new SequentialBlock().add(conv(false)).add(Activation.reluBlock()).add(conv(false))
                .add(Activation.reluBlock()).add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(4).build());
    }

    private static Conv2d conv(boolean bias) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(bias)
                .setFilters(8).build();
    }

    private static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** A network initialised from {@code seed}: Xavier weights, N(0, 0.5) biases. */
    static TestNetwork network(NDManager manager, Supplier<Block> architecture, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Block block = architecture.get();
        block.setInitializer(new NormalInitializer(0.5f), Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, BATCH);
        return new TestNetwork(manager, block);
    }

    /** {@code count} batches of N(0.5, 1) images drawn from {@code seed}. */
    static List<NDArray> batches(NDManager manager, long seed, int count) {
        Engine.getInstance().setRandomSeed((int) seed);
        List<NDArray> batches = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            batches.add(manager.randomNormal(0.5f, 1f, BATCH, DataType.FLOAT32));
        }
        return batches;
    }

    /** {@code sum_j weights[j] * parent_j} in a new network, without any aligner. */
    static TestNetwork mixture(NDManager manager, Supplier<Block> architecture, List<? extends Network> parents,
            double[] weights, List<NDArray> batches) throws Exception {
        return soup(manager, architecture, parents, weights, batches, new Aligner() {
            @Override
            public String id() {
                return "none";
            }

            @Override
            public String description() {
                return "no alignment";
            }
        }, Map.of());
    }

    /** The same mixture, repaired as a soup with {@code options}. */
    static TestNetwork repaired(NDManager manager, Supplier<Block> architecture, List<? extends Network> parents,
            double[] weights, List<NDArray> batches, Map<String, String> options) throws Exception {
        return soup(manager, architecture, parents, weights, batches, new Repair(), options);
    }

    private static TestNetwork soup(NDManager manager, Supplier<Block> architecture, List<? extends Network> parents,
            double[] weights, List<NDArray> batches, Aligner aligner, Map<String, String> options) throws Exception {
        TestNetwork soup = network(manager, architecture, 99);
        TestMerge.soup(options, parents, soup, weights, batches).run(aligner);
        return soup;
    }

    /** Every parameter's values, running statistics included. */
    static Map<String, float[]> snapshot(Network network) {
        Map<String, float[]> values = new LinkedHashMap<>();
        network.parameters().forEach((name, parameter) -> values.put(name, parameter.getArray().toFloatArray()));
        return values;
    }

    static void restore(Network network, Map<String, float[]> values) {
        network.parameters().forEach((name, parameter) -> assign(parameter.getArray(), values.get(name)));
    }

    /** Overwrites {@code target} in place without leaving the temporary behind in its manager. */
    static void assign(NDArray target, float[] values) {
        try (NDManager scope = target.getManager().newSubManager()) {
            target.set(new NDIndex("..."), scope.create(values, target.getShape()));
        }
    }

    static float[] values(Network network, String path, Parameter.Type type) {
        Block leaf = Probe.leaf(network.block(), path);
        for (Parameter parameter : leaf.getDirectParameters().values()) {
            if (parameter.getType() == type) {
                return parameter.getArray().toFloatArray();
            }
        }
        throw new IllegalArgumentException(path + " has no " + type);
    }


    /** Eval-mode logits of every batch, concatenated. */
    static float[] logits(Network network, List<NDArray> batches) {
        NDList logits = new NDList();
        for (NDArray batch : batches) {
            logits.add(network.forward(batch, false));
        }
        return NDArrays.concat(logits).toFloatArray();
    }

    /** Largest |a - b| relative to the largest |b|. */
    static double relativeDifference(float[] a, float[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    /** One population member: a block and its parameters. */
    static final class TestNetwork implements Network {
        private final NDManager manager;
        private final Block block;

        TestNetwork(NDManager manager, Block block) {
            this.manager = manager;
            this.block = block;
        }

        @Override
        public Block block() {
            return block;
        }

        @Override
        public Map<String, Parameter> parameters() {
            Map<String, Parameter> parameters = new LinkedHashMap<>();
            block.getParameters().forEach(pair -> parameters.put(pair.getKey(), pair.getValue()));
            return parameters;
        }

        @Override
        public NDArray forward(NDArray images, boolean training) {
            return block.forward(new ParameterStore(manager, false), new NDList(images), training).singletonOrThrow();
        }
    }
}
