package io.papa.plugins.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.papa.api.Network;
import io.papa.plugins.repair.Fixtures.TestNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What REPAIR does to mixtures of differently initialised parents, checked against statistics that
 * the test measures itself ({@link Probe}) on the same calibration batches.
 */
class RepairStatisticsTest {

    private static final double[] HALF = {0.5, 0.5};

    @BeforeEach
    void noGrad() {
        Fixtures.noGrad();
    }

    /** The child's goal for each conv: the parents' means and stds mixed with the child's weights. */
    private static Map<String, Probe.Stats> goals(List<? extends Network> parents, double[] weights,
            List<NDArray> batches) {
        List<Map<String, Probe.Stats>> measured = new ArrayList<>();
        for (Network parent : parents) {
            measured.add(Probe.convOutputs(parent, batches));
        }
        Map<String, Probe.Stats> goals = new LinkedHashMap<>();
        for (String path : measured.get(0).keySet()) {
            int channels = measured.get(0).get(path).mean().length;
            double[] mean = new double[channels];
            double[] variance = new double[channels];
            for (int c = 0; c < channels; c++) {
                double std = 0;
                for (int j = 0; j < parents.size(); j++) {
                    mean[c] += weights[j] * measured.get(j).get(path).mean()[c];
                    std += weights[j] * measured.get(j).get(path).std()[c];
                }
                variance[c] = std * std;
            }
            goals.put(path, new Probe.Stats(mean, variance));
        }
        return goals;
    }

    /** Largest |achieved / goal - 1| of the per-channel stds. */
    private static double stdError(Probe.Stats achieved, Probe.Stats goal) {
        double worst = 0;
        for (int c = 0; c < goal.mean().length; c++) {
            worst = Math.max(worst, Math.abs(achieved.std()[c] / goal.std()[c] - 1));
        }
        return worst;
    }

    /** Largest |achieved - goal| of the per-channel means, in units of the goal std. */
    private static double meanError(double[] achievedMean, Probe.Stats goal) {
        double worst = 0;
        for (int c = 0; c < goal.mean().length; c++) {
            worst = Math.max(worst, Math.abs(achievedMean[c] - goal.mean()[c]) / goal.std()[c]);
        }
        return worst;
    }

    @ParameterizedTest(name = "parents survive (soup): {0}")
    @ValueSource(booleans = {true, false})
    void convsWithBiasGetTheInterpolatedParentMeanAndStd(boolean soup) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::biasNet, 1),
                    Fixtures.network(manager, Fixtures::biasNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            Map<String, Probe.Stats> goals = goals(parents, HALF, batches);
            Map<String, Probe.Stats> plain = Probe.convOutputs(
                    Fixtures.mixture(manager, Fixtures::biasNet, parents, HALF, batches), batches);

            List<Network> children = new ArrayList<>();
            if (soup) {
                TestNetwork child = Fixtures.network(manager, Fixtures::biasNet, 3);
                TestMerge.soup(Map.of(), parents, child, HALF, batches).run(new Repair());
                children.add(child);
            } else {
                TestMerge.population(Map.of(), parents, new double[][] {HALF, HALF}, batches).run(new Repair());
                children.addAll(parents);
            }

            assertEquals(2, goals.size());
            for (Network child : children) {
                Map<String, Probe.Stats> achieved = Probe.convOutputs(child, batches);
                for (String path : goals.keySet()) {
                    Probe.Stats goal = goals.get(path);
                    double before = stdError(plain.get(path), goal);
                    double stdError = stdError(achieved.get(path), goal);
                    double meanError = meanError(achieved.get(path).mean(), goal);
                    // the plain average has collapsed variance: the test would notice a no-op
                    assertTrue(before > 0.1, path + ": std error of the plain average " + before);
                    assertTrue(stdError < 0.01, path + ": std error " + stdError);
                    assertTrue(meanError < 0.01, path + ": mean error " + meanError + " std");
                }
            }
        }
    }

    @Test
    void eachChildOfAPopulationMergeGetsItsOwnRowsGoalAndNoArrayIsLeftBehind() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::biasNet, 1),
                    Fixtures.network(manager, Fixtures::biasNet, 2), Fixtures.network(manager, Fixtures::biasNet, 3));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            double[][] rows = {{0.8, 0.1, 0.1}, {0.5, 0.5, 0}, {0.2, 0.3, 0.5}};
            List<Map<String, Probe.Stats>> goals = new ArrayList<>();
            for (double[] row : rows) {
                goals.add(goals(parents, row, batches));
            }
            int arrays = manager.getManagedArrays().size();

            TestMerge.population(Map.of(), parents, rows, batches).run(new Repair());

            assertEquals(arrays, manager.getManagedArrays().size());
            for (int k = 0; k < rows.length; k++) {
                Map<String, Probe.Stats> achieved = Probe.convOutputs(parents.get(k), batches);
                for (String path : goals.get(k).keySet()) {
                    Probe.Stats goal = goals.get(k).get(path);
                    double stdError = stdError(achieved.get(path), goal);
                    double meanError = meanError(achieved.get(path).mean(), goal);
                    assertTrue(stdError < 0.01, "child " + k + ", " + path + ": std error " + stdError);
                    assertTrue(meanError < 0.01, "child " + k + ", " + path + ": mean error " + meanError + " std");
                }
            }
        }
    }

    @Test
    void biasFreeConvsGetTheGoalStdAndTheirShiftLandsInTheFollowingBatchNorm() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::normNet, 1),
                    Fixtures.network(manager, Fixtures::normNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            Map<String, Probe.Stats> goals = goals(parents, HALF, batches);
            TestNetwork exact = Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches, Map.of());
            TestNetwork reference = Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches,
                    Map.of("shift", "reference"));

            Map<String, Probe.Stats> achieved = Probe.convOutputs(exact, batches);
            Map<String, String> normAfter = Map.of("01Conv2d", "02BatchNorm", "04Conv2d", "05BatchNorm");
            assertEquals(normAfter.keySet(), goals.keySet());
            for (String path : goals.keySet()) {
                Probe.Stats goal = goals.get(path);
                // the fold is the only difference between the modes' BatchNorms: it measures the shift s
                float[] exactMean = Fixtures.values(exact, normAfter.get(path), Parameter.Type.RUNNING_MEAN);
                float[] referenceMean = Fixtures.values(reference, normAfter.get(path), Parameter.Type.RUNNING_MEAN);
                double[] shifted = achieved.get(path).mean().clone();
                for (int c = 0; c < shifted.length; c++) {
                    shifted[c] += referenceMean[c] - exactMean[c];
                }
                double stdError = stdError(achieved.get(path), goal);
                double shiftedError = meanError(shifted, goal);
                assertTrue(stdError < 0.01, path + ": std error " + stdError);
                assertTrue(shiftedError < 0.01, path + ": error of mean + folded shift " + shiftedError + " std");
                // the shift is not negligible, else this would prove nothing
                assertTrue(meanError(achieved.get(path).mean(), goal) > 0.1, path);
            }
        }
    }

    @Test
    void withABatchNormAfterEveryConvExactRepairActsLikeReestimatingTheBatchNorms() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::normNet, 1),
                    Fixtures.network(manager, Fixtures::normNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            List<NDArray> heldOut = Fixtures.batches(manager, 8, 2);
            TestNetwork reestimated = Fixtures.mixture(manager, Fixtures::normNet, parents, HALF, batches);
            Probe.reestimateBatchNorm(reestimated, batches);
            TestNetwork exact = Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches, Map.of());
            TestNetwork reference = Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches,
                    Map.of("shift", "reference"));

            float[] expected = Fixtures.logits(reestimated, heldOut);
            double exactDifference = Fixtures.relativeDifference(Fixtures.logits(exact, heldOut), expected);
            double referenceDifference = Fixtures.relativeDifference(Fixtures.logits(reference, heldOut), expected);
            // what remains is sqrt((n - 1) / n) per BatchNorm, n = 2048 values per channel per batch
            assertTrue(exactDifference < 2e-3, "exact: " + exactDifference);
            assertTrue(referenceDifference > 10 * exactDifference, "reference: " + referenceDifference);
        }
    }

    @Test
    void referenceShiftOnlyRescalesBiasFreeConvs() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::normNet, 1),
                    Fixtures.network(manager, Fixtures::normNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            Map<String, Probe.Stats> goals = goals(parents, HALF, batches);
            TestNetwork plain = Fixtures.mixture(manager, Fixtures::normNet, parents, HALF, batches);
            // with a BN after every conv the REPAIR pass sees the plain mixture's raw conv outputs (up to eps)
            Map<String, Probe.Stats> raw = Probe.convOutputs(plain, batches);
            TestNetwork reference = Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches,
                    Map.of("shift", "reference"));
            TestNetwork exact = Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches, Map.of());

            for (String path : goals.keySet()) {
                float[] before = Fixtures.values(plain, path, Parameter.Type.WEIGHT);
                float[] after = Fixtures.values(reference, path, Parameter.Type.WEIGHT);
                assertArrayEquals(after, Fixtures.values(exact, path, Parameter.Type.WEIGHT), path);
                int channels = goals.get(path).mean().length;
                int perChannel = before.length / channels;
                double worst = 0;
                for (int c = 0; c < channels; c++) {
                    double scale = goals.get(path).std()[c] / Math.sqrt(raw.get(path).variance()[c] + 1e-5);
                    for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                        worst = Math.max(worst, Math.abs(after[i] - before[i] * scale) / Math.abs(before[i] * scale));
                    }
                }
                Probe.Stats achieved = Probe.convOutputs(reference, batches).get(path);
                double meanError = meanError(achieved.mean(), goals.get(path));
                assertTrue(worst < 2e-3, path + ": weight differs from scale * weight by " + worst);
                // nothing moves the mean: it stays at the rescaled raw mean, away from the goal
                assertTrue(meanError > 0.1, path + ": mean error " + meanError + " std");
            }
            float[] referenceLogits = Fixtures.logits(reference, batches);
            assertTrue(Fixtures.relativeDifference(Fixtures.logits(exact, batches), referenceLogits) > 1e-2);
        }
    }

    @Test
    void batchNormStatisticsBecomeCumulativeAveragesOfTheirInputsOverTheCalibrationBatches() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::inputNormNet, 1),
                    Fixtures.network(manager, Fixtures::inputNormNet, 2));
            // batches whose statistics drift, so that a cumulative average and an EMA disagree
            List<NDArray> batches = new ArrayList<>();
            Engine.getInstance().setRandomSeed(11);
            for (int b = 0; b < 5; b++) {
                batches.add(manager.randomNormal(0.4f * b, 0.5f + 0.5f * b, Fixtures.BATCH, DataType.FLOAT32));
            }
            Map<String, Probe.Stats> images = Probe.normInputs(parents.get(0), batches);
            Probe.Stats input = images.get("01BatchNorm");
            Map<String, Probe.Stats> goals = goals(parents, HALF, batches);
            TestMerge.population(Map.of("shift", "reference"), parents, new double[][] {HALF, HALF}, batches)
                    .run(new Repair());

            long n = Fixtures.BATCH.size() / Fixtures.BATCH.get(1);
            for (Network child : parents) {
                float[] mean = Fixtures.values(child, "01BatchNorm", Parameter.Type.RUNNING_MEAN);
                float[] variance = Fixtures.values(child, "01BatchNorm", Parameter.Type.RUNNING_VAR);
                double[] emaVariance = {1, 1, 1};
                for (NDArray batch : batches) {
                    Probe.Stats one = Probe.normInputs(child, List.of(batch)).get("01BatchNorm");
                    for (int c = 0; c < 3; c++) {
                        emaVariance[c] = 0.9 * emaVariance[c] + 0.1 * one.variance()[c];
                    }
                }
                for (int c = 0; c < 3; c++) {
                    assertEquals(input.mean()[c], mean[c], 1e-4);
                    assertEquals(input.variance()[c], variance[c], 1e-4 * input.variance()[c]);
                    assertTrue(Math.abs(emaVariance[c] - variance[c]) > 0.1 * variance[c]);
                }
                // after the conv the input is the ResetLayer's output: per batch exactly the goal mean,
                // and goal std^2 * n / (n - 1) as unbiased variance (up to eps)
                Probe.Stats goal = goals.get("02Conv2d");
                float[] convMean = Fixtures.values(child, "03BatchNorm", Parameter.Type.RUNNING_MEAN);
                float[] convVariance = Fixtures.values(child, "03BatchNorm", Parameter.Type.RUNNING_VAR);
                for (int c = 0; c < goal.mean().length; c++) {
                    assertEquals(goal.mean()[c], convMean[c], 1e-4 * goal.std()[c]);
                    assertEquals(goal.variance()[c] * n / (n - 1), convVariance[c], 5e-4 * goal.variance()[c]);
                }
            }
        }
    }
}
