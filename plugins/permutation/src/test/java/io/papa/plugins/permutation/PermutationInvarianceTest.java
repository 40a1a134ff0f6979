package io.papa.plugins.permutation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.papa.api.ImageShape;
import io.papa.plugins.architectures.Vgg11;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The derived spaces are right: permuting each of them at random leaves the function unchanged. */
class PermutationInvarianceTest {

    @BeforeEach
    void noGrad() {
        Nets.noGrad();
    }

    static Stream<Nets.Spec> architectures() {
        // VGG at 64x64 as well: its classifier reads a 2x2 map, so permutations move blocks of features
        return Stream.concat(Nets.all().stream(),
                Stream.of(new Nets.Spec(new Vgg11(), new ImageShape(3, 64, 64), Map.of("width", "4"))));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void randomPermutationsOfEverySpaceKeepTheLogits(Nets.Spec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TestNetwork network = Nets.trained(manager, spec, 7);
            NDArray images = Nets.images(manager, spec.input(), 8);
            NDArray before = network.forward(images, false);
            TestNetwork original = Nets.copy(manager, spec, network);
            ChannelSpaces spaces = Nets.spaces(network);
            Nets.randomPermutation(spaces, 11).apply(network);
            assertTrue(Nets.maxParameterDifference(network, original) > 1e-2, "the permutation changed nothing");
            NDArray after = network.forward(images, false);
            double scale = Math.max(1, before.abs().max().getFloat());
            double difference = Nets.maxDifference(before, after);
            assertTrue(difference < 1e-4 * scale, spec + ": logits moved by " + difference + " (scale " + scale + ")");
        }
    }
}
