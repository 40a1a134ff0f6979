package io.papa.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.papa.api.Architecture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InitializationTest {

    static Stream<Architecture> architectures() {
        return Nets.all();
    }

    private static double std(NDArray values) {
        return values.sub(values.mean()).square().mean().sqrt().getFloat();
    }

    private static double fanIn(Parameter weight) {
        return TorchInit.fanIn(weight.getShape());
    }

    private static List<Block> weightedLayers(Block net) {
        return Nets.blocks(net, b -> b instanceof Convolution || b instanceof Linear);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "vgg11", "vgg19", "cnn", "mlp"})
    void pytorchDefaultDrawsWeightsAndBiasesFromTheFanInBound(String id) {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, Nets.byId(id), Nets.CIFAR, 10);
            for (Block layer : weightedLayers(net)) {
                Parameter weight = layer.getDirectParameters().get("weight");
                NDArray w = weight.getArray();
                // the bound as the float the initializer used
                float bound = (float) (1 / Math.sqrt(fanIn(weight)));
                double maxAbs = w.abs().max().getFloat();
                assertTrue(maxAbs <= bound, id + " weight " + weight.getShape() + ": max |w| " + maxAbs + " > " + bound);
                if (w.size() >= 5000) {
                    // U(-b, b) has standard deviation b / sqrt(3) and reaches close to b
                    assertEquals(bound / Math.sqrt(3), std(w), 0.05 * bound / Math.sqrt(3), id + " weight " + weight.getShape());
                    assertTrue(maxAbs > 0.99 * bound, id + " weight " + weight.getShape() + " max " + maxAbs);
                }
                Parameter bias = layer.getDirectParameters().get("bias");
                if (bias != null) {
                    double biasMax = bias.getArray().abs().max().getFloat();
                    assertTrue(biasMax <= bound && biasMax > 0, id + " bias " + bias.getShape() + ": max |b| " + biasMax);
                }
            }
        }
    }

    @Test
    void resnet20DrawsConvAndLinearWeightsFromKaimingNormal() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Block> layers = weightedLayers(Nets.initialized(manager, new Resnet20(), Nets.CIFAR, 10));
            for (Block layer : layers) {
                Parameter weight = layer.getDirectParameters().get("weight");
                NDArray w = weight.getArray();
                double expected = Math.sqrt(2 / fanIn(weight));
                // the smallest weight (stem, 432 values) estimates its std within a few per cent
                assertEquals(expected, std(w), 0.12 * expected, "std of " + weight.getShape());
                assertEquals(0, w.mean().getFloat(), 0.15 * expected, "mean of " + weight.getShape());
                assertTrue(w.abs().max().getFloat() > 2 * expected, "normal, not uniform: " + weight.getShape());
            }
            Parameter linearBias = layers.get(layers.size() - 1).getDirectParameters().get("bias");
            assertTrue(linearBias.getArray().abs().max().getFloat() <= 1 / Math.sqrt(64));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet20", "vgg13", "cnn"})
    void batchNormStartsAsTheIdentityWithUnitStatistics(String id) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, Nets.byId(id), Nets.CIFAR, 10);
            List<Block> norms = Nets.blocks(net, b -> b instanceof BatchNorm);
            assertFalse(norms.isEmpty());
            for (Block norm : norms) {
                ParameterList p = norm.getDirectParameters();
                assertTrue(p.get("gamma").getArray().eq(1f).all().getBoolean());
                assertTrue(p.get("beta").getArray().eq(0f).all().getBoolean());
                assertTrue(p.get("runningMean").getArray().eq(0f).all().getBoolean());
                assertTrue(p.get("runningVar").getArray().eq(1f).all().getBoolean());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void sameSeedGivesIdenticalParametersAndAnotherSeedDifferentOnes(Architecture architecture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            ParameterList first = Nets.initialized(manager, architecture, Nets.CIFAR, 10).getParameters();
            Engine.getInstance().setRandomSeed(11);
            ParameterList again = Nets.initialized(manager, architecture, Nets.CIFAR, 10).getParameters();
            Engine.getInstance().setRandomSeed(12);
            ParameterList other = Nets.initialized(manager, architecture, Nets.CIFAR, 10).getParameters();
            assertEquals(first.keys(), again.keys());
            for (int i = 0; i < first.size(); i++) {
                Pair<String, Parameter> p = first.get(i);
                assertTrue(p.getValue().getArray().contentEquals(again.get(i).getValue().getArray()), p.getKey());
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    assertFalse(p.getValue().getArray().contentEquals(other.get(i).getValue().getArray()), p.getKey());
                }
            }
        }
    }

    @Test
    void batchNormUpdatesRunningStatisticsWithTorchMomentum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            BatchNorm norm = Layers.batchNorm();
            NDArray x = manager.randomNormal(3f, 2f, new Shape(64, 2, 4, 4), DataType.FLOAT32);
            norm.initialize(manager, DataType.FLOAT32, x.getShape());
            Nets.forward(manager, norm, x, true);
            NDArray batchMean = x.transpose(1, 0, 2, 3).reshape(2, -1).mean(new int[] {1});
            // torch: running = (1 - 0.1) * running + 0.1 * batch statistic, starting from mean 0
            NDArray runningMean = norm.getDirectParameters().get("runningMean").getArray();
            assertTrue(runningMean.allClose(batchMean.mul(0.1f), 1e-4, 1e-5, false), runningMean.toString());
        }
    }
}
