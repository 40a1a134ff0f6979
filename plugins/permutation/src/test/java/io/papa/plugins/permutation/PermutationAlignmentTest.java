package io.papa.plugins.permutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.papa.api.InvalidOptionException;
import io.papa.api.Options;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermutationAlignmentTest {

    private static final double[][] UNIFORM = {{1 / 3.0, 1 / 3.0, 1 / 3.0}, {1 / 3.0, 1 / 3.0, 1 / 3.0},
        {1 / 3.0, 1 / 3.0, 1 / 3.0}};

    @BeforeEach
    void noGrad() {
        Nets.noGrad();
    }

    @Test
    void declaresItsOptions() {
        PermutationAlignment aligner = new PermutationAlignment();
        assertEquals("permutation", aligner.id());
        Options defaults = Options.resolve("aligner", aligner.options(), Map.of());
        assertEquals(Map.of("method", "activation", "batches", "50", "max_iter", "100", "anchor", "first"),
                defaults.asMap());
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner", aligner.options(), Map.of("method", "weights")));
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner", aligner.options(), Map.of("batches", "0")));
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("aligner", aligner.options(), Map.of("anchor", "last")));
    }

    /**
     * Three parents that are one network under different permutations: after alignment to the
     * first, all three hold the same values, and each computes what it computed before.
     */
    @ParameterizedTest
    @ValueSource(strings = {"activation", "weight"})
    void alignsEveryOtherParentInPlaceToTheFirst(String method) {
        Nets.Spec spec = Nets.byId("resnet20");
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = permutedCopies(manager, spec);
            NDArray images = Nets.images(manager, spec.input(), 8);
            List<NDArray> logits = parents.stream().map(p -> p.forward(images, false)).toList();
            TestContext context = new TestContext(Map.of("method", method, "batches", "3"), parents, UNIFORM,
                    Nets.batches(manager, spec.input(), 3, 16));

            new PermutationAlignment().beforeMixing(context);

            assertTrue(Nets.maxParameterDifference(parents.get(0), parents.get(1)) < 1e-5);
            assertTrue(Nets.maxParameterDifference(parents.get(0), parents.get(2)) < 1e-5);
            for (int j = 0; j < 3; j++) {
                assertTrue(Nets.maxDifference(logits.get(j), parents.get(j).forward(images, false)) < 1e-4);
            }
            assertEquals(method.equals("activation") ? 1 : 0, context.calibrationCalls());
        }
    }

    @Test
    void theHeaviestAnchorIsTheParentWithTheLargestTotalWeight() {
        Nets.Spec spec = Nets.byId("cnn");
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = permutedCopies(manager, spec);
            TestNetwork heaviest = Nets.copy(manager, spec, parents.get(2));
            double[][] weights = {{0.5, 0.25, 0.25}, {0.0, 0.25, 0.75}, {0.0, 0.25, 0.75}};
            TestContext context = new TestContext(Map.of("method", "weight", "anchor", "heaviest"), parents, weights,
                    List.of());
            assertEquals(2, PermutationAlignment.anchor(context, "heaviest"));
            assertEquals(0, PermutationAlignment.anchor(context, "first"));

            new PermutationAlignment().beforeMixing(context);

            for (TestNetwork parent : parents) {
                assertTrue(Nets.maxParameterDifference(heaviest, parent) < 1e-5);
            }
        }
    }

    @Test
    void leavesASingleParentAndTheChildrenAlone() {
        Nets.Spec spec = Nets.byId("mlp");
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TestNetwork> parents = permutedCopies(manager, spec);
            TestNetwork before = Nets.copy(manager, spec, parents.get(1));
            PermutationAlignment aligner = new PermutationAlignment();
            aligner.beforeMixing(new TestContext(Map.of(), List.of(parents.get(1)), new double[][] {{1}}, List.of()));
            aligner.afterMixing(new TestContext(Map.of(), parents, UNIFORM, List.of()));
            assertEquals(0, Nets.maxParameterDifference(before, parents.get(1)));
        }
    }

    /** One trained network and two copies of it under different random permutations. */
    private static List<TestNetwork> permutedCopies(NDManager manager, Nets.Spec spec) {
        TestNetwork first = Nets.trained(manager, spec, 3);
        ChannelSpaces spaces = Nets.spaces(first);
        TestNetwork second = Nets.copy(manager, spec, first);
        TestNetwork third = Nets.copy(manager, spec, first);
        Nets.randomPermutation(spaces, 1).apply(second);
        Nets.randomPermutation(spaces, 2).apply(third);
        return List.of(first, second, third);
    }
}
