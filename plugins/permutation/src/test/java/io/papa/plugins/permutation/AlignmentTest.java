package io.papa.plugins.permutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlignmentTest {

    @BeforeEach
    void noGrad() {
        Nets.noGrad();
    }

    static Stream<Arguments> architecturesAndMethods() {
        return Nets.all().stream().flatMap(spec -> Stream.of(Arguments.of(spec, "activation"), Arguments.of(spec, "weight")));
    }

    private static SpacePermutation align(String method, ChannelSpaces spaces, TestNetwork anchor, TestNetwork parent,
            List<NDArray> batches) {
        return method.equals("activation")
                ? ActivationMatching.align(spaces, anchor, parent, batches)
                : WeightMatching.align(spaces, anchor, parent, 100, new SplittableRandom(3));
    }

    /** A permuted copy is the same network: alignment must find the permutation that undoes it. */
    @ParameterizedTest
    @MethodSource("architecturesAndMethods")
    void recoversARandomlyPermutedCopy(Nets.Spec spec, String method) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TestNetwork original = Nets.trained(manager, spec, 5);
            TestNetwork copy = Nets.copy(manager, spec, original);
            ChannelSpaces spaces = Nets.spaces(original);
            Nets.randomPermutation(spaces, 17).apply(copy);
            assertTrue(Nets.maxParameterDifference(original, copy) > 1e-2);
            List<NDArray> batches = Nets.batches(manager, spec.input(), 3, 16);
            align(method, spaces, original, copy, batches).apply(copy);
            double difference = Nets.maxParameterDifference(original, copy);
            assertTrue(difference < 1e-5, spec + " by " + method + ": weights differ by " + difference);
        }
    }

    /**
     * Two independent networks: activation matching raises the summed correlation of corresponding
     * channels to exactly what its assignment promised; the parent computes the same function.
     */
    @ParameterizedTest
    @MethodSource("io.papa.plugins.permutation.Nets#all")
    void activationMatchingRaisesTheCorrelationOfIndependentNetworks(Nets.Spec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TestNetwork anchor = Nets.trained(manager, spec, 1);
            TestNetwork parent = Nets.trained(manager, spec, 2);
            ChannelSpaces spaces = Nets.spaces(anchor);
            List<NDArray> batches = Nets.batches(manager, spec.input(), 3, 16);
            NDArray images = Nets.images(manager, spec.input(), 8);
            NDArray logits = parent.forward(images, false);

            double[][][] before = ActivationMatching.correlations(spaces, anchor, parent, batches);
            SpacePermutation permutation = ActivationMatching.align(spaces, anchor, parent, batches);
            permutation.apply(parent);
            double[][][] after = ActivationMatching.correlations(spaces, anchor, parent, batches);

            double totalBefore = 0;
            double totalAfter = 0;
            for (ChannelSpaces.Space space : spaces.permutable()) {
                int[] perm = permutation.full(space.index());
                for (int i = 0; i < space.size(); i++) {
                    // the permuted parent's channel i is its old channel perm[i] (up to float32 summation order)
                    assertEquals(before[space.index()][i][perm[i]], after[space.index()][i][i], 1e-4);
                    totalBefore += before[space.index()][i][i];
                    totalAfter += after[space.index()][i][i];
                }
            }
            assertTrue(totalAfter > totalBefore + 0.1, spec + ": correlation " + totalBefore + " -> " + totalAfter);
            assertFunctionKept(logits, parent.forward(images, false), spec);
        }
    }

    @ParameterizedTest
    @MethodSource("io.papa.plugins.permutation.Nets#all")
    void weightMatchingRaisesTheInnerProductOfIndependentNetworks(Nets.Spec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TestNetwork anchor = Nets.trained(manager, spec, 1);
            TestNetwork parent = Nets.trained(manager, spec, 2);
            ChannelSpaces spaces = Nets.spaces(anchor);
            NDArray images = Nets.images(manager, spec.input(), 8);
            NDArray logits = parent.forward(images, false);

            double before = Nets.innerProduct(anchor, parent);
            WeightMatching.align(spaces, anchor, parent, 100, new SplittableRandom(3)).apply(parent);
            double after = Nets.innerProduct(anchor, parent);

            assertTrue(after > before + 1e-3 * Math.abs(before), spec + ": inner product " + before + " -> " + after);
            assertFunctionKept(logits, parent.forward(images, false), spec);
        }
    }

    private static void assertFunctionKept(NDArray before, NDArray after, Nets.Spec spec) {
        double scale = Math.max(1, before.abs().max().getFloat());
        double difference = Nets.maxDifference(before, after);
        assertTrue(difference < 1e-4 * scale, spec + ": alignment changed the logits by " + difference);
    }
}
