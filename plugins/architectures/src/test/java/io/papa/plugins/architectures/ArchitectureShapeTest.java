package io.papa.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.InvalidOptionException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.training.GradientCollector;
import io.papa.api.nn.Forward;
import io.papa.api.nn.Residual;
import io.papa.api.nn.ZeroPadShortcut;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitectureShapeTest {

    static Stream<Architecture> architectures() {
        return Nets.all();
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void mapsCifarImagesToOneLogitPerClass(Architecture architecture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, architecture, Nets.CIFAR, 10);
            NDArray logits = Nets.forward(manager, net, manager.randomUniform(0f, 1f, new Shape(2, 3, 32, 32)), false);
            assertEquals(new Shape(2, 10), logits.getShape());
            assertTrue(logits.isInfinite().logicalOr(logits.isNaN()).none().getBoolean());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "mlp", "resnet18", "resnet20"})
    void mapsMnistImagesToOneLogitPerClass(String id) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, Nets.byId(id), Nets.MNIST, 10);
            NDArray logits = Nets.forward(manager, net, manager.randomUniform(0f, 1f, new Shape(3, 1, 28, 28)), true);
            assertEquals(new Shape(3, 10), logits.getShape());
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void blockByBlockForwardAsAlignersRunItEqualsTheNetworkForward(Architecture architecture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, architecture, Nets.CIFAR, 10);
            NDArray images = manager.randomUniform(0f, 1f, new Shape(2, 3, 32, 32));
            NDArray whole = Nets.forward(manager, net, images, false);
            NDArray stepwise = Forward.run(net, new ParameterStore(manager, false), images, false,
                    (path, leaf, in, out) -> out);
            assertTrue(whole.allClose(stepwise, 1e-5, 1e-6, false));
        }
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void aReleasingForwardGivesTheSameLogitsAndGradientsAndKeepsFewerArrays(Architecture architecture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, architecture, Nets.CIFAR, 10);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray images = manager.randomUniform(0f, 1f, new Shape(2, 3, 32, 32));
            // evaluation: the same logits; only the output (and the input) are left in the pass's manager
            int plainArrays;
            int releasedArrays;
            NDArray whole = Nets.forward(manager, net, images, false);
            try (NDManager scope = manager.newSubManager()) {
                images.tempAttach(scope);
                Forward.run(net, store, images, false, (path, leaf, in, out) -> out);
                plainArrays = ((BaseNDManager) scope).getManagedArrays().size();
            }
            try (NDManager scope = manager.newSubManager()) {
                images.tempAttach(scope);
                NDArray released = Forward.runReleasing(net, store, images, false);
                releasedArrays = ((BaseNDManager) scope).getManagedArrays().size();
                assertTrue(whole.allClose(released, 1e-5, 1e-6, false));
            }
            assertTrue(releasedArrays * 2 < plainArrays, releasedArrays + " arrays left against " + plainArrays);
            // training: closing our handles early leaves autograd what the backward needs
            Map<String, float[]> plain = gradients(net, manager, () -> Nets.forward(manager, net, images, true));
            Map<String, float[]> released = gradients(net, manager,
                    () -> Forward.runReleasing(net, store, images, true));
            for (String name : plain.keySet()) {
                assertArrayEquals(plain.get(name), released.get(name), 1e-5f, name);
            }
        }
    }

    private static Map<String, float[]> gradients(Block net, NDManager manager, Supplier<NDArray> forward) {
        Map<String, float[]> gradients = new java.util.LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = forward.get();
            logits.tempAttach(scope);
            collector.backward(logits.square().mean());
        }
        for (var pair : net.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                NDArray weight = pair.getValue().getArray();
                try (NDArray gradient = weight.getGradient()) {
                    gradients.put(pair.getKey(), gradient.toFloatArray());
                    gradient.subi(gradient);
                }
            }
        }
        return gradients;
    }

    @ParameterizedTest
    @CsvSource({"resnet18, 8", "resnet20, 9"})
    void everyBasicBlockJoinsItsBranchesWithAResidualSum(String id, int blocks) {
        assertEquals(blocks, Nets.blocks(Nets.build(Nets.byId(id), Nets.CIFAR, 10, Map.of()), b -> b instanceof Residual).size());
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void idsAreLowerCaseAndOptionsHaveDefaults(Architecture architecture) {
        assertEquals(architecture.id().toLowerCase(Locale.ROOT), architecture.id());
        assertFalse(architecture.description().isBlank());
        architecture.options().forEach(spec -> assertTrue(spec.defaultValue() != null, spec.name()));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void parameterNamesAreUniqueAndStableAcrossBuilds(Architecture architecture) {
        List<String> first = Nets.build(architecture, Nets.CIFAR, 10, Map.of()).getParameters().keys();
        List<String> second = Nets.build(architecture, Nets.CIFAR, 10, Map.of()).getParameters().keys();
        assertEquals(first, second);
        assertEquals(first.size(), first.stream().distinct().count(), "duplicate parameter names");
    }

    @ParameterizedTest
    @ValueSource(strings = {"vgg11", "vgg13", "vgg16", "vgg19"})
    void vggRejectsImagesTooSmallForFivePoolings(String id) {
        Architecture vgg = Nets.byId(id);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Nets.build(vgg, new ImageShape(3, 28, 28), 10, Map.of()));
        assertAll(
                () -> assertTrue(error.getMessage().contains(id), error.getMessage()),
                () -> assertTrue(error.getMessage().contains("28x28"), error.getMessage()),
                () -> assertTrue(error.getMessage().contains("32x32"), error.getMessage()));
    }

    @Test
    void cnnRejectsImagesTooSmallForItsPoolings() {
        assertThrows(IllegalArgumentException.class, () -> Nets.build(new Cnn(), new ImageShape(1, 3, 3), 10, Map.of()));
    }

    @Test
    void unknownOptionNameIsRejectedWithTheValidNames() {
        InvalidOptionException error = assertThrows(InvalidOptionException.class,
                () -> Nets.options(new Cnn(), Map.of("widht", "8")));
        assertTrue(error.getMessage().contains("widht") && error.getMessage().contains("width"), error.getMessage());
    }

    @Test
    void outOfRangeWidthIsRejected() {
        assertThrows(InvalidOptionException.class, () -> Nets.options(new Resnet18(), Map.of("width", "0")));
    }

    @Test
    void resnet20RejectsAnOddWidth() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Nets.build(new Resnet20(), Nets.CIFAR, 10, Map.of("width", "15")));
        assertTrue(error.getMessage().contains("even"), error.getMessage());
    }

    @Test
    void mlpRejectsMalformedHiddenSizes() {
        assertThrows(IllegalArgumentException.class, () -> Nets.build(new Mlp(), Nets.MNIST, 10, Map.of("hidden", "64,x")));
        assertThrows(IllegalArgumentException.class, () -> Nets.build(new Mlp(), Nets.MNIST, 10, Map.of("hidden", "64,0")));
    }

    @Test
    void resnet20UsesOptionAShortcutsExactlyWhereTheShapeChanges() {
        List<Block> shortcuts = Nets.blocks(Nets.build(new Resnet20(), Nets.CIFAR, 10, Map.of()),
                b -> b instanceof ZeroPadShortcut);
        assertEquals(2, shortcuts.size());
        ZeroPadShortcut first = (ZeroPadShortcut) shortcuts.get(0);
        ZeroPadShortcut second = (ZeroPadShortcut) shortcuts.get(1);
        assertEquals(List.of(16, 32, 2, 8), List.of(first.inChannels(), first.outChannels(), first.stride(), first.padding()));
        assertEquals(List.of(32, 64, 2, 16), List.of(second.inChannels(), second.outChannels(), second.stride(), second.padding()));
    }

    @Test
    void resnet18UsesProjectionShortcutsAndNoZeroPadding() {
        Block net = Nets.build(new Resnet18(), Nets.CIFAR, 10, Map.of());
        assertTrue(Nets.blocks(net, b -> b instanceof ZeroPadShortcut).isEmpty());
        long projections = Nets.blocks(net, b -> b instanceof Conv2d).stream()
                .filter(b -> ((Conv2d) b).getKernelShape().equals(new Shape(1, 1))).count();
        assertEquals(3, projections);
        assertTrue(Nets.blocks(net, b -> b instanceof Conv2d).stream().noneMatch(b -> ((Conv2d) b).isIncludeBias()),
                "the paper's ResNet-18 convolutions have no bias");
    }
}
