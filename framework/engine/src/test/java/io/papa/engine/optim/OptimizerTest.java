package io.papa.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The member optimisers against torch.optim's update rules, computed by hand in double precision on
 * small arrays over three steps with changing gradients and learning rates.
 */
class OptimizerTest {

    private static final double TOLERANCE = 1e-6;
    private static final float[] W0 = {0.5f, -1.25f, 2.0f, 0.0f, -0.3f, 1.1f};
    private static final float[][] GRADIENTS = {
        {0.1f, -0.2f, 0.3f, 1.0f, -0.05f, 0.0f},
        {-0.4f, 0.25f, 0.2f, -1.5f, 0.6f, 0.01f},
        {0.05f, 0.5f, -0.7f, 0.3f, 0.2f, -0.02f},
    };
    private static final double[] LR = {0.1, 0.05, 0.02};

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray array(float[] values) {
        return manager.create(values.clone(), new Shape(2, 3));
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= TOLERANCE * Math.max(1, Math.abs(expected[i])),
                    what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
        }
    }

    /** Runs the three steps on the optimiser, returning the weight array. */
    private NDArray run(MemberOptimizer optimizer) {
        NDArray weight = array(W0);
        for (int t = 0; t < GRADIENTS.length; t++) {
            try (NDArray gradient = array(GRADIENTS[t])) {
                optimizer.update("layer.weight", weight, gradient, LR[t]);
            }
        }
        return weight;
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesTorchSgd() {
        double momentum = 0.9;
        double wd = 1e-4;
        double[] w = toDouble(W0);
        double[] buf = null;
        for (int t = 0; t < GRADIENTS.length; t++) {
            double[] d = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                d[i] = GRADIENTS[t][i] + wd * w[i];
            }
            if (buf == null) {
                buf = d.clone();
            } else {
                for (int i = 0; i < w.length; i++) {
                    buf[i] = momentum * buf[i] + d[i];
                }
            }
            for (int i = 0; i < w.length; i++) {
                w[i] -= LR[t] * buf[i];
            }
        }
        MemberOptimizer sgd = MemberOptimizer.create("sgd", momentum, wd, manager);
        NDArray weight = run(sgd);
        assertClose(w, weight.toFloatArray(), "weight");
        NDArray momentumBuffer = sgd.state().get("layer.weight.momentum");
        assertNotNull(momentumBuffer, "state() exposes the momentum buffer, got " + sgd.state().keySet());
        assertClose(buf, momentumBuffer.toFloatArray(), "momentum buffer");
        assertEquals(1, sgd.state().size());
    }

    @Test
    void sgdWithoutMomentumIsPlainGradientDescentAndKeepsNoState() {
        double[] w = toDouble(W0);
        for (int t = 0; t < GRADIENTS.length; t++) {
            for (int i = 0; i < w.length; i++) {
                w[i] -= LR[t] * GRADIENTS[t][i];
            }
        }
        MemberOptimizer sgd = MemberOptimizer.create("sgd", 0, 0, manager);
        assertClose(w, run(sgd).toFloatArray(), "weight");
        assertTrue(sgd.state().isEmpty(), sgd.state().keySet().toString());
    }

    /** torch.optim.Adam (decoupled=false, L2 in the gradient) or AdamW (decoupled weight decay). */
    private static double[][] adamReference(double wd, boolean decoupled) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        double[] w = toDouble(W0);
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int t = 1; t <= GRADIENTS.length; t++) {
            double lr = LR[t - 1];
            for (int i = 0; i < w.length; i++) {
                double g = GRADIENTS[t - 1][i];
                if (decoupled) {
                    w[i] *= 1 - lr * wd;
                } else {
                    g += wd * w[i];
                }
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double bias1 = 1 - Math.pow(beta1, t);
                double bias2 = 1 - Math.pow(beta2, t);
                double denominator = Math.sqrt(v[i]) / Math.sqrt(bias2) + eps;
                w[i] -= lr / bias1 * m[i] / denominator;
            }
        }
        return new double[][] {w, m, v};
    }

    private void assertAdamMatches(String name, boolean decoupled) {
        double wd = 0.05; // large enough that L2 and decoupled decay give visibly different results
        double[][] expected = adamReference(wd, decoupled);
        MemberOptimizer adam = MemberOptimizer.create(name, 0.9, wd, manager);
        NDArray weight = run(adam);
        assertClose(expected[0], weight.toFloatArray(), name + " weight");
        Map<String, NDArray> state = adam.state();
        assertNotNull(state.get("layer.weight.exp_avg"), "state() exposes exp_avg, got " + state.keySet());
        assertNotNull(state.get("layer.weight.exp_avg_sq"), "state() exposes exp_avg_sq, got " + state.keySet());
        assertClose(expected[1], state.get("layer.weight.exp_avg").toFloatArray(), name + " exp_avg");
        assertClose(expected[2], state.get("layer.weight.exp_avg_sq").toFloatArray(), name + " exp_avg_sq");
        assertEquals(Map.of("layer.weight.step", 3L), adam.counters());
    }

    @Test
    void adamwMatchesTorchAdamwWithDecoupledWeightDecay() {
        assertAdamMatches("adamw", true);
    }

    @Test
    void adamMatchesTorchAdamWithL2WeightDecay() {
        assertAdamMatches("adam", false);
    }

    @Test
    void adamAndAdamwDifferWhenWeightDecayIsOn() {
        float[] adam = run(MemberOptimizer.create("adam", 0.9, 0.05, manager)).toFloatArray();
        float[] adamw = run(MemberOptimizer.create("adamw", 0.9, 0.05, manager)).toFloatArray();
        double largest = 0;
        for (int i = 0; i < adam.length; i++) {
            largest = Math.max(largest, Math.abs(adam[i] - adamw[i]));
        }
        assertTrue(largest > 1e-4, "adam and adamw gave the same weights: " + largest);
    }

    @Test
    void optimizerStateIsKeptPerParameterName() {
        MemberOptimizer sgd = MemberOptimizer.create("sgd", 0.9, 0, manager);
        NDArray a = array(W0);
        NDArray b = array(W0);
        try (NDArray g = array(GRADIENTS[0])) {
            sgd.update("a", a, g, 0.1);
            sgd.update("a", a, g, 0.1);
            sgd.update("b", b, g, 0.1);
        }
        assertEquals(2, sgd.state().size());
        // "a" took two momentum steps (buf = 1.9 g), "b" one (buf = g)
        float[] bufA = sgd.state().get("a.momentum").toFloatArray();
        float[] bufB = sgd.state().get("b.momentum").toFloatArray();
        for (int i = 0; i < bufA.length; i++) {
            assertEquals(1.9 * GRADIENTS[0][i], bufA[i], 1e-6);
            assertEquals(GRADIENTS[0][i], bufB[i], 1e-6);
        }
    }

    @Test
    void anUnknownOptimizerIsRejectedWithTheValidNames() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MemberOptimizer.create("rmsprop", 0.9, 1e-4, manager));
        String message = error.getMessage();
        assertTrue(message.contains("rmsprop"), message);
        assertTrue(message.contains("sgd") && message.contains("adamw") && message.contains("adam"), message);
    }

    @Test
    void optimizerNamesAreCaseInsensitive() {
        assertEquals(MemberOptimizer.create("sgd", 0.9, 0, manager).getClass(),
                MemberOptimizer.create("SGD", 0.9, 0, manager).getClass());
    }

    // --- learning-rate schedules ---

    @Test
    void cosineStartsAtLrEndsAtLrMinAndPassesTheMidpointHalfway() {
        LearningRateSchedule cosine = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 0.1, 1e-4, 1000,
                new double[0], 0.1);
        assertEquals(0.1, cosine.at(0), 1e-12);
        assertEquals(1e-4, cosine.at(1000), 1e-12);
        assertEquals((0.1 + 1e-4) / 2, cosine.at(500), 1e-12);
        // torch's closed form at a quarter: eta_min + (lr - eta_min) * (1 + cos(pi/4)) / 2
        assertEquals(1e-4 + (0.1 - 1e-4) * (1 + Math.cos(Math.PI / 4)) / 2, cosine.at(250), 1e-12);
        // strictly decreasing over the run, and it stays at lr_min after the end
        for (long step = 1; step <= 1000; step++) {
            assertTrue(cosine.at(step) < cosine.at(step - 1), "not decreasing at step " + step);
        }
        assertEquals(1e-4, cosine.at(1500), 1e-12);
        assertEquals(0.1, cosine.initial(), 0);
    }

    @Test
    void multistepDropsByGammaAtTheMilestones() {
        LearningRateSchedule multistep = new LearningRateSchedule(LearningRateSchedule.Kind.MULTISTEP, 0.1, 0, 200,
                new double[] {0.5, 0.75}, 0.1);
        assertEquals(0.1, multistep.at(0), 1e-12);
        assertEquals(0.1, multistep.at(99), 1e-12);
        assertEquals(0.01, multistep.at(100), 1e-12);
        assertEquals(0.01, multistep.at(149), 1e-12);
        assertEquals(0.001, multistep.at(150), 1e-12);
        assertEquals(0.001, multistep.at(199), 1e-12);
    }

    @Test
    void multistepMilestonesAreRoundedToTheNearestStep() {
        // round(37 * 0.3) = round(11.1) = 11 (not ceil), round(37 * 0.75) = round(27.75) = 28 (not floor)
        LearningRateSchedule multistep = new LearningRateSchedule(LearningRateSchedule.Kind.MULTISTEP, 1, 0, 37,
                new double[] {0.3, 0.75}, 0.5);
        assertEquals(1, multistep.at(10), 1e-12);
        assertEquals(0.5, multistep.at(11), 1e-12);
        assertEquals(0.5, multistep.at(27), 1e-12);
        assertEquals(0.25, multistep.at(28), 1e-12);
    }

    @Test
    void multistepMilestoneTiesRoundHalfToEvenLikePythonsRound() {
        // the reference computes milestones with Python's round(), which rounds x.5 to the even neighbour:
        // round(30 * 0.75) = round(22.5) = 22, round(42 * 0.75) = round(31.5) = 32
        LearningRateSchedule thirty = new LearningRateSchedule(LearningRateSchedule.Kind.MULTISTEP, 1, 0, 30,
                new double[] {0.75}, 0.1);
        assertEquals(1, thirty.at(21), 1e-12);
        assertEquals(0.1, thirty.at(22), 1e-12);
        LearningRateSchedule fortyTwo = new LearningRateSchedule(LearningRateSchedule.Kind.MULTISTEP, 1, 0, 42,
                new double[] {0.75}, 0.1);
        assertEquals(1, fortyTwo.at(31), 1e-12);
        assertEquals(0.1, fortyTwo.at(32), 1e-12);
    }

    @Test
    void constantNeverChanges() {
        LearningRateSchedule constant = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.05, 1e-4, 100,
                new double[] {0.5}, 0.1);
        for (long step : new long[] {0, 1, 50, 99, 100, 1000}) {
            assertEquals(0.05, constant.at(step), 0);
        }
    }

    @Test
    void scheduleNamesParseAndUnknownOnesAreRejected() {
        assertEquals(LearningRateSchedule.Kind.COSINE, LearningRateSchedule.Kind.parse("cosine"));
        assertEquals(LearningRateSchedule.Kind.MULTISTEP, LearningRateSchedule.Kind.parse(" MultiStep "));
        assertEquals(LearningRateSchedule.Kind.CONSTANT, LearningRateSchedule.Kind.parse("constant"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.Kind.parse("linear"));
        assertTrue(error.getMessage().contains("cosine, multistep, constant"), error.getMessage());
    }
}
