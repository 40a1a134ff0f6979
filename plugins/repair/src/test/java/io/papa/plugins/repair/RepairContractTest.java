package io.papa.plugins.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import io.papa.api.InvalidOptionException;
import io.papa.api.Options;
import io.papa.plugins.repair.Fixtures.TestNetwork;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What REPAIR must leave alone, and how it refuses what it cannot do. */
class RepairContractTest {

    private static final double[] HALF = {0.5, 0.5};

    @BeforeEach
    void noGrad() {
        Fixtures.noGrad();
    }

    private static void assertSameValues(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name));
    }

    @Test
    void measuringTheParentsLeavesTheirParametersAndRunningStatisticsUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::normNet, 1),
                    Fixtures.network(manager, Fixtures::normNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            for (TestNetwork parent : parents) {
                parent.forward(batches.get(0), true); // running statistics away from their initial 0 and 1
            }
            Map<String, float[]> first = Fixtures.snapshot(parents.get(0));
            Map<String, float[]> second = Fixtures.snapshot(parents.get(1));

            TestMerge.population(Map.of(), parents, new double[][] {HALF, HALF}, batches).measureParents(new Repair());

            assertSameValues(first, Fixtures.snapshot(parents.get(0)));
            assertSameValues(second, Fixtures.snapshot(parents.get(1)));
            // the check has teeth: a training-mode forward does move the running statistics
            parents.get(0).forward(batches.get(1), true);
            assertFalse(Arrays.equals(first.get("02BatchNorm_runningMean"),
                    Fixtures.snapshot(parents.get(0)).get("02BatchNorm_runningMean")));
        }
    }

    @Test
    void aSoupLeavesItsParentsUnchanged() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::normNet, 1),
                    Fixtures.network(manager, Fixtures::normNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            Map<String, float[]> first = Fixtures.snapshot(parents.get(0));
            Map<String, float[]> second = Fixtures.snapshot(parents.get(1));

            Fixtures.repaired(manager, Fixtures::normNet, parents, HALF, batches, Map.of());

            assertSameValues(first, Fixtures.snapshot(parents.get(0)));
            assertSameValues(second, Fixtures.snapshot(parents.get(1)));
        }
    }

    static Stream<Arguments> architectures() {
        return Stream.of(Arguments.of("conv with bias, no BN", (Supplier<Block>) Fixtures::biasNet),
                Arguments.of("bias-free conv + BN", (Supplier<Block>) Fixtures::normNet));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void aChildIdenticalToBothParentsKeepsItsFunction(String name, Supplier<Block> architecture) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, architecture, 1),
                    Fixtures.network(manager, architecture, 1));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            List<NDArray> heldOut = Fixtures.batches(manager, 8, 2);
            for (TestNetwork parent : parents) {
                // BN statistics as REPAIR estimates them, so that only REPAIR's own change is seen
                Probe.reestimateBatchNorm(parent, batches);
            }
            float[] before = Fixtures.logits(parents.get(0), heldOut);

            TestMerge.population(Map.of(), parents, new double[][] {HALF, HALF}, batches).run(new Repair());

            double difference = Fixtures.relativeDifference(Fixtures.logits(parents.get(0), heldOut), before);
            // O(1/n) from the biased batch variance in the ResetLayer, n = 2048 values per channel per batch
            assertTrue(difference < 1e-3, "relative change of the logits " + difference);
        }
    }

    @Test
    void aConvThatIsTheLastLeafIsLeftAlone() throws Exception {
        Supplier<Block> convLast = () -> new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                .add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).optBias(false).setFilters(4).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, convLast, 1),
                    Fixtures.network(manager, convLast, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            TestNetwork plain = Fixtures.mixture(manager, convLast, parents, HALF, batches);
            // exact mode would refuse this bias-free conv without a BatchNorm if it were repaired
            TestNetwork repaired = Fixtures.repaired(manager, convLast, parents, HALF, batches, Map.of());

            assertArrayEquals(Fixtures.values(plain, "03Conv2d", Parameter.Type.WEIGHT),
                    Fixtures.values(repaired, "03Conv2d", Parameter.Type.WEIGHT));
            assertFalse(Arrays.equals(Fixtures.values(plain, "01Conv2d", Parameter.Type.WEIGHT),
                    Fixtures.values(repaired, "01Conv2d", Parameter.Type.WEIGHT)));
        }
    }

    @Test
    void exactShiftRefusesABiasFreeConvWithoutAFollowingBatchNormAndNamesIt() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = List.of(Fixtures.network(manager, Fixtures::bareNet, 1),
                    Fixtures.network(manager, Fixtures::bareNet, 2));
            List<NDArray> batches = Fixtures.batches(manager, 7, 5);
            Map<String, float[]> first = Fixtures.snapshot(parents.get(0));
            TestMerge merge = TestMerge.population(Map.of(), parents, new double[][] {HALF, HALF}, batches);

            IllegalStateException error = assertThrows(IllegalStateException.class, () -> merge.run(new Repair()));

            assertTrue(error.getMessage().contains("'01Conv2d'"), error.getMessage());
            assertTrue(error.getMessage().contains("shift=reference"), error.getMessage());
            assertSameValues(first, Fixtures.snapshot(parents.get(0)));
            TestMerge.population(Map.of("shift", "reference"), parents, new double[][] {HALF, HALF}, batches)
                    .run(new Repair());
        }
    }

    @Test
    void optionsHaveTheReferenceDefaultsAndUnknownOrInvalidValuesAreRejected() {
        Repair repair = new Repair();
        Options defaults = Options.resolve("aligner 'repair'", repair.options(), Map.of());
        assertEquals(5, defaults.getInt("n_iter"));
        assertEquals("exact", defaults.getString("shift"));
        assertEquals(1e-5, defaults.getDouble("eps"));

        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner 'repair'", repair.options(), Map.of("n_iters", "5")));
        assertTrue(unknown.getMessage().contains("n_iter, shift, eps"), unknown.getMessage());
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner 'repair'", repair.options(), Map.of("n_iter", "0")));
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner 'repair'", repair.options(), Map.of("shift", "drop")));
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner 'repair'", repair.options(), Map.of("eps", "-1")));
    }
}
