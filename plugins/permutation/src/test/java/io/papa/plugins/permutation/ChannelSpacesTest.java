package io.papa.plugins.permutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.papa.api.ImageShape;
import io.papa.api.nn.Residual;
import io.papa.api.nn.ZeroPadShortcut;
import io.papa.plugins.architectures.Vgg11;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelSpacesTest {

    @BeforeEach
    void noGrad() {
        Nets.noGrad();
    }

    /**
     * ResNet-18: one residual stream per stage (the stem joins stage 1's) and one inner space per
     * block, 4 + 8; ResNet-20: 3 streams + 9 inner; VGG: one per conv; CNN: 3 convs; MLP: 2 hidden
     * layers. The input and the logits are the two frozen spaces of each.
     */
    @ParameterizedTest
    @CsvSource({"resnet18, 12", "resnet20, 12", "vgg11, 8", "vgg13, 10", "vgg16, 13", "vgg19, 16", "cnn, 3", "mlp, 2"})
    void countsThePermutableSpacesOfEveryArchitecture(String id, int permutable) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelSpaces spaces = Nets.spaces(Nets.build(manager, Nets.byId(id), 1));
            assertEquals(permutable, spaces.permutable().size(), spaces.toString());
            assertEquals(permutable + 2, spaces.all().size(), spaces.toString());
            ChannelSpaces.Space input = spaces.all().get(0);
            ChannelSpaces.Space logits = spaces.all().get(spaces.all().size() - 1);
            assertTrue(input.frozen() && input.origins().equals(List.of("input")), spaces.toString());
            assertTrue(logits.frozen() && logits.size() == 10, spaces.toString());
            // every parameter is accounted for: each axis it has is in some space, frozen or not
            Nets.build(manager, Nets.byId(id), 1).parameters().keySet().forEach(name ->
                    assertTrue(spaces.byParameter().containsKey(name), name + " is in no space"));
        }
    }

    @Test
    void resnet18JoinsStemAndStagesIntoStreams() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelSpaces spaces = Nets.spaces(Nets.build(manager, Nets.byId("resnet18"), 1));
            List<ChannelSpaces.Space> streams = spaces.permutable().stream().filter(s -> s.origins().size() > 1).toList();
            // stage 1: stem conv + two main-branch conv2; later stages: two conv2 + the projection conv
            assertEquals(List.of(4, 8, 16, 32), streams.stream().map(ChannelSpaces.Space::size).toList());
            streams.forEach(s -> assertEquals(3, s.origins().size(), s.toString()));
            assertEquals("01Conv2d", streams.get(0).origins().get(0));
            assertTrue(streams.get(1).origins().stream().anyMatch(o -> o.contains("shortcut")), streams.get(1).toString());
            assertEquals(8, spaces.permutable().stream().filter(s -> s.origins().size() == 1).count());
            assertTrue(spaces.all().stream().allMatch(s -> s.ties().isEmpty()));
            // the classifier reads the last stream: its weight's input axis is in stage 4's space
            assertTrue(streams.get(3).uses().stream().anyMatch(u -> u.parameter().endsWith("Linear_weight") && u.axis() == 1));
        }
    }

    @Test
    void resnet20TiesEachStreamToThePreviousAtThePadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelSpaces spaces = Nets.spaces(Nets.build(manager, Nets.byId("resnet20"), 1));
            List<ChannelSpaces.Space> tied = spaces.all().stream().filter(s -> !s.ties().isEmpty()).toList();
            assertEquals(2, tied.size(), spaces.toString());
            ChannelSpaces.Space stage2 = tied.get(0);
            ChannelSpaces.Space stage3 = tied.get(1);
            assertEquals(8, stage2.size());
            assertEquals(16, stage3.size());
            ChannelSpaces.Space stage1 = spaces.get(stage2.ties().get(0).source());
            assertEquals(4, stage1.size());
            assertEquals("01Conv2d", stage1.origins().get(0));
            assertEquals(2, stage2.ties().get(0).offset());
            assertEquals(stage2.index(), stage3.ties().get(0).source());
            assertEquals(4, stage3.ties().get(0).offset());
            assertEquals(List.of(0, 1, 6, 7), box(stage2.free()));
            assertEquals(8, stage3.free().length);
            // choosing stage 1's permutation also moves stage 2's and stage 3's tied channels
            assertEquals(List.of(new ChannelSpaces.View(stage1.index(), 0), new ChannelSpaces.View(stage2.index(), 2),
                    new ChannelSpaces.View(stage3.index(), 6)), spaces.views(stage1.index()));
        }
    }

    /** At 64x64 VGG's last map is 2x2, so each channel is a block of 4 consecutive classifier inputs. */
    @Test
    void flatteningAFeatureMapMakesBlocksOfFeatures() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Nets.Spec spec = new Nets.Spec(new Vgg11(), new ImageShape(3, 64, 64), Map.of("width", "4"));
            ChannelSpaces spaces = Nets.spaces(Nets.build(manager, spec, 1));
            ChannelSpaces.Space last = spaces.permutable().get(spaces.permutable().size() - 1);
            ChannelSpaces.AxisUse classifier = last.uses().stream()
                    .filter(u -> u.parameter().endsWith("Linear_weight")).findFirst().orElseThrow();
            assertEquals(1, classifier.axis());
            assertEquals(4, classifier.block());
            assertTrue(last.taps().stream().anyMatch(t -> t.block() == 4), last.taps().toString());
        }
    }

    @Test
    void rejectsAParameterisedLeafItDoesNotKnow() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(LayerNorm.builder().build())
                    .add(Linear.builder().setUnits(3).build());
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChannelSpaces.derive(new TestNetwork(net, manager), new Shape(2, 5)));
            assertTrue(e.getMessage().contains("'02LayerNorm'") && e.getMessage().contains(LayerNorm.class.getName()),
                    e.getMessage());
        }
    }

    @Test
    void rejectsGroupedConvolutions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(4).optGroups(2).build());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ChannelSpaces.derive(new TestNetwork(net, manager), new Shape(1, 2, 4, 4)));
            assertTrue(e.getMessage().contains("grouped") && e.getMessage().contains("01Conv2d"), e.getMessage());
        }
    }

    /** A parameter-free block of unknown effect may mix channels: the spaces on both sides stay as they are. */
    @Test
    void freezesTheSpacesAroundAnUnknownParameterFreeBlock() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(8).build())
                    .add(new LambdaBlock(list -> list))
                    .add(Linear.builder().setUnits(6).build())
                    .add(Linear.builder().setUnits(3).build());
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
            ChannelSpaces spaces = ChannelSpaces.derive(new TestNetwork(net, manager), new Shape(2, 5));
            assertEquals(1, spaces.permutable().size(), spaces.toString());
            assertEquals(List.of("03Linear"), spaces.permutable().get(0).origins());
            assertTrue(spaces.all().stream().filter(s -> s.origins().contains("01Linear")).allMatch(ChannelSpaces.Space::frozen));
        }
    }

    /** Logits straight from a zero-pad residual: its input's channels sit inside the frozen logits, so they stay too. */
    @Test
    void aFrozenSpaceFreezesTheSpacesTiedIntoIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build())
                    .add(new Residual(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(8).build(),
                            new ZeroPadShortcut(4, 8, 1)));
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4, 4));
            ChannelSpaces spaces = ChannelSpaces.derive(new TestNetwork(net, manager), new Shape(1, 3, 4, 4));
            assertEquals(3, spaces.all().size(), spaces.toString());
            assertEquals(0, spaces.permutable().size(), spaces.toString());
            assertEquals(new ChannelSpaces.Tie(1, 2), spaces.get(2).ties().get(0));
        }
    }

    private static List<Integer> box(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
