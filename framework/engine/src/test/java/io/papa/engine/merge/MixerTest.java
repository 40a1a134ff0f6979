package io.papa.engine.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.papa.api.MixingMatrix;
import io.papa.api.Network;
import io.papa.engine.fused.FusionFixtures.TestNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mixing real DJL networks (Linear + BatchNorm + Linear) whose weights come from different seeds and
 * whose BatchNorm running statistics were moved by a training-mode forward.
 */
class MixerTest {

    private static final double TOLERANCE = 1e-6;
    private static final Shape INPUT = new Shape(16, 6);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Linear(8) + BatchNorm + Linear(3), initialised from {@code seed}, BN statistics and affine made non-trivial. */
    private TestNet network(int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(3).build());
        block.initialize(manager, DataType.FLOAT32, INPUT);
        TestNet network = new TestNet(block, manager);
        try (NDManager scope = manager.newSubManager()) {
            // biases, gamma and beta start at 0, 1 and 0 in every member: shift them so their mean is a real test
            for (Parameter parameter : network.parameters().values()) {
                Parameter.Type type = parameter.getType();
                if (type == Parameter.Type.BIAS || type == Parameter.Type.GAMMA || type == Parameter.Type.BETA) {
                    NDArray noise = scope.randomNormal(parameter.getArray().getShape());
                    parameter.getArray().set(plus(parameter.getArray().toFloatArray(), noise.toFloatArray()));
                }
            }
            // two training-mode forwards move the running mean and variance away from 0 and 1
            for (int i = 0; i < 2; i++) {
                NDArray x = scope.randomNormal(INPUT).mul(1 + seed % 3).add(seed % 5);
                network.forward(x, true);
            }
        }
        return network;
    }

    private static float[] plus(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    private static Map<String, float[]> snapshot(Network network) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        network.parameters().forEach((name, parameter) -> copy.put(name, parameter.getArray().toFloatArray()));
        return copy;
    }

    private static double[][] rows(MixingMatrix matrix) {
        double[][] weights = new double[matrix.size()][];
        for (int k = 0; k < matrix.size(); k++) {
            weights[k] = matrix.row(k);
        }
        return weights;
    }

    private static double[] mean(List<Map<String, float[]>> copies, String name) {
        int length = copies.get(0).get(name).length;
        double[] mean = new double[length];
        for (Map<String, float[]> copy : copies) {
            float[] values = copy.get(name);
            for (int i = 0; i < length; i++) {
                mean[i] += values[i];
            }
        }
        for (int i = 0; i < length; i++) {
            mean[i] /= copies.size();
        }
        return mean;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected)),
                what + ": expected " + expected + " but was " + actual);
    }

    private List<TestNet> members(int count) {
        List<TestNet> members = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            members.add(network(11 + 7 * k));
        }
        return members;
    }

    @Test
    void theFixtureHasDistinctWeightsAndMovedRunningStatistics() {
        List<TestNet> members = members(2);
        Map<String, float[]> a = snapshot(members.get(0));
        Map<String, float[]> b = snapshot(members.get(1));
        int runningStats = 0;
        for (Map.Entry<String, Parameter> entry : members.get(0).parameters().entrySet()) {
            String name = entry.getKey();
            assertFalse(java.util.Arrays.equals(a.get(name), b.get(name)), name + " is the same in both members");
            Parameter.Type type = entry.getValue().getType();
            if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                runningStats++;
                float initial = type == Parameter.Type.RUNNING_MEAN ? 0f : 1f;
                for (float v : a.get(name)) {
                    assertTrue(v != initial, name + " was not updated by the training forward");
                }
            }
        }
        assertEquals(2, runningStats, "BatchNorm running mean and variance are parameters");
    }

    private void assertUniformAverageGivesTheMean(int count) {
        List<TestNet> members = members(count);
        List<Map<String, float[]>> before = new ArrayList<>();
        for (TestNet member : members) {
            before.add(snapshot(member));
        }
        Mixer.mix(members, rows(MixingMatrix.uniform(count)), members);
        int checked = 0;
        for (String name : members.get(0).parameters().keySet()) {
            double[] expected = mean(before, name);
            for (int k = 0; k < count; k++) {
                float[] actual = members.get(k).parameters().get(name).getArray().toFloatArray();
                assertEquals(expected.length, actual.length);
                for (int i = 0; i < expected.length; i++) {
                    assertClose(expected[i], actual[i], "member " + k + " " + name + "[" + i + "]");
                }
            }
            checked++;
        }
        // 2 Linear layers (weight, bias) + BatchNorm (gamma, beta, running mean, running var)
        assertEquals(8, checked);
    }

    @Test
    void averagingTwoMembersGivesTheElementWiseMeanOfEveryParameterAndRunningStatistic() {
        assertUniformAverageGivesTheMean(2);
    }

    @Test
    void averagingThreeMembersGivesTheElementWiseMeanOfEveryParameterAndRunningStatistic() {
        assertUniformAverageGivesTheMean(3);
    }

    @Test
    void aPapaPullRowMovesEveryMemberTowardTheMeanByExactlyAlpha() {
        int n = 3;
        double alpha = 0.9;
        List<TestNet> members = members(n);
        List<Map<String, float[]>> before = new ArrayList<>();
        for (TestNet member : members) {
            before.add(snapshot(member));
        }
        double[][] pull = new double[n][n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                pull[k][j] = (1 - alpha) / n + (k == j ? alpha : 0);
            }
        }
        Mixer.mix(members, rows(new MixingMatrix(pull, "pull")), members);
        for (String name : members.get(0).parameters().keySet()) {
            double[] mean = mean(before, name);
            for (int k = 0; k < n; k++) {
                float[] old = before.get(k).get(name);
                float[] now = members.get(k).parameters().get(name).getArray().toFloatArray();
                for (int i = 0; i < mean.length; i++) {
                    assertClose(alpha * (old[i] - mean[i]), now[i] - mean[i],
                            "member " + k + " " + name + "[" + i + "] distance to the mean");
                }
            }
        }
    }

    @Test
    void mixingIntoASeparateTargetLeavesTheSourcesUnchanged() {
        List<TestNet> sources = members(3);
        TestNet target = network(99);
        List<Map<String, float[]>> before = new ArrayList<>();
        for (TestNet source : sources) {
            before.add(snapshot(source));
        }
        double[] weights = {0.5, 0.25, 0.25};
        Mixer.mix(sources, new double[][] {weights}, List.of(target));
        for (int k = 0; k < sources.size(); k++) {
            Map<String, float[]> after = snapshot(sources.get(k));
            for (String name : after.keySet()) {
                assertArrayEquals(before.get(k).get(name), after.get(name), "source " + k + " " + name + " changed");
            }
        }
        for (String name : target.parameters().keySet()) {
            float[] actual = target.parameters().get(name).getArray().toFloatArray();
            for (int i = 0; i < actual.length; i++) {
                double expected = 0;
                for (int j = 0; j < weights.length; j++) {
                    expected += weights[j] * before.get(j).get(name)[i];
                }
                assertClose(expected, actual[i], "target " + name + "[" + i + "]");
            }
        }
    }

    @Test
    void mixingAssignsInPlaceSoArraysKeepTheirIdentityAndGradients() {
        List<TestNet> members = members(2);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        members.get(0).parameters().forEach((name, parameter) -> arrays.put(name, parameter.getArray()));
        Mixer.mix(members, rows(MixingMatrix.uniform(2)), members);
        int trainable = 0;
        for (Map.Entry<String, Parameter> entry : members.get(0).parameters().entrySet()) {
            Parameter parameter = entry.getValue();
            assertSame(arrays.get(entry.getKey()), parameter.getArray(), entry.getKey() + " was replaced, not assigned");
            if (parameter.requiresGradient()) {
                trainable++;
                assertTrue(parameter.getArray().hasGradient(), entry.getKey() + " lost its gradient");
            }
        }
        assertEquals(6, trainable);
        // the mixed network still trains: a forward/backward reaches every trainable parameter
        try (ai.djl.training.GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDManager scope = manager.newSubManager()) {
            NDArray loss = members.get(0).forward(scope.randomNormal(INPUT), true).square().sum();
            collector.backward(loss);
        }
        for (Parameter parameter : members.get(0).parameters().values()) {
            if (parameter.requiresGradient()) {
                assertTrue(parameter.getArray().getGradient().abs().sum().getFloat() > 0,
                        parameter.getName() + " received no gradient after mixing");
            }
        }
    }

    @Test
    void networksWithDifferentParametersAreRejected() {
        TestNet a = network(1);
        Engine.getInstance().setRandomSeed(2);
        SequentialBlock other = new SequentialBlock().add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(4).build());
        other.initialize(manager, DataType.FLOAT32, INPUT);
        TestNet b = new TestNet(other, manager);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Mixer.mix(List.of(a, b), rows(MixingMatrix.uniform(2)), List.of(a, b)));
        assertTrue(error.getMessage().contains("missing"), error.getMessage());
    }
}
