package io.papa.engine.fused;

import static io.papa.engine.fused.FusionFixtures.maxDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import io.papa.api.ImageShape;
import io.papa.api.nn.Residual;
import io.papa.engine.fused.FusionFixtures.Arch;
import io.papa.engine.fused.FusionFixtures.TestNet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused network computes exactly what its members compute separately. */
class PopulationFuserTest {

    private static final double TOLERANCE = 1e-5;
    private static final int BATCH = 6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static Stream<Arguments> architectures() {
        List<Arguments> all = new ArrayList<>();
        for (Arch arch : Arch.values()) {
            for (int n = 1; n <= 3; n++) {
                all.add(Arguments.of(arch, n));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("architectures")
    void forwardEqualsTheMembersForwardsInTrainingAndInference(Arch arch, int n) {
        List<TestNet> members = FusionFixtures.members(arch, n, 7, manager);
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), n, arch.input, manager);
        fused.load(members);
        assertEquals(0.0, maxDifference(fused, members), "load copies every value");

        for (boolean training : new boolean[] {true, false}) {
            List<NDArray> inputs = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                ImageShape in = arch.input;
                inputs.add(manager.randomNormal(new Shape(BATCH, in.channels(), in.height(), in.width())));
            }
            NDArray logits = fused.forward(FusionFixtures.stackChannels(inputs), training);
            assertEquals(new Shape(BATCH, n, FusionFixtures.CLASSES), logits.getShape());
            for (int k = 0; k < n; k++) {
                NDArray want = members.get(k).forward(inputs.get(k), training);
                assertTrue(maxDifference(logits.get(new NDIndex(":, {}", k)), want) < TOLERANCE,
                        arch + " member " + k + " logits, training " + training);
            }
            // training mode moved the running statistics of both, inference left them alone
            assertTrue(maxDifference(fused, members) < TOLERANCE, arch + " parameters after a forward, training "
                    + training);
        }
    }

    @Test
    void sharedImagesReachEveryMember() {
        List<TestNet> members = FusionFixtures.members(Arch.VGG, 3, 19, manager);
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), 3, Arch.VGG.input, manager);
        fused.load(members);
        NDArray images = manager.randomNormal(new Shape(BATCH, 3, 8, 8));
        NDArray logits = fused.forwardShared(images, false);
        for (int k = 0; k < 3; k++) {
            assertTrue(maxDifference(logits.get(new NDIndex(":, {}", k)), members.get(k).forward(images, false))
                    < TOLERANCE);
        }
    }

    @Test
    void storeWritesEachMembersPartBack() {
        List<TestNet> members = FusionFixtures.members(Arch.RESNET, 3, 11, manager);
        List<TestNet> others = FusionFixtures.members(Arch.RESNET, 3, 99, manager);
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), 3, Arch.RESNET.input, manager);
        fused.load(members);
        fused.store(others);
        for (int k = 0; k < 3; k++) {
            for (String name : members.get(k).parameters().keySet()) {
                assertEquals(0.0, maxDifference(members.get(k).parameters().get(name).getArray(),
                        others.get(k).parameters().get(name).getArray()), name);
            }
        }
    }

    @Test
    void layoutPutsMemberKInRowK() {
        List<TestNet> members = FusionFixtures.members(Arch.MLP, 2, 3, manager);
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), 2, Arch.MLP.input, manager);
        fused.load(members);
        String name = members.get(0).parameters().keySet().iterator().next();
        NDArray weight = fused.parameters().get(name).getArray();
        assertEquals(new Shape(2).addAll(members.get(0).parameters().get(name).getArray().getShape()),
                weight.getShape());
        assertEquals(members.get(0).parameters().get(name).getArray().getShape(), fused.memberShape(name));
        assertEquals(0.0, maxDifference(weight.get(1), members.get(1).parameters().get(name).getArray()));
    }

    @Test
    void anUnknownLeafIsNamedWithItsPath() {
        Block net = new SequentialBlock()
                .add(FusionFixtures.conv3x3(4, 1, false))
                .add(new Residual(new SequentialBlock().add(FusionFixtures.conv3x3(4, 1, false))
                        .add(LayerNorm.builder().build()), null))
                .add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build());
        UnfusableBlockException e = assertThrows(UnfusableBlockException.class,
                () -> fuse(net));
        assertEquals("02Residual/main/02LayerNorm", e.path());
        assertEquals(LayerNorm.class.getName(), e.blockType());
        assertTrue(e.getMessage().contains("02Residual/main/02LayerNorm (ai.djl.nn.norm.LayerNorm)"), e.getMessage());
        assertTrue(e.getMessage().contains("per-member"), e.getMessage());
    }

    @Test
    void dropoutIsNotFusedBecauseItsMasksWouldDiffer() {
        Block net = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Dropout.builder().build())
                .add(Linear.builder().setUnits(3).build());
        assertEquals("02Dropout", assertThrows(UnfusableBlockException.class, () -> fuse(net)).path());
    }

    @Test
    void aLambdaThatMixesChannelsIsRejected() {
        Block net = new SequentialBlock().add(FusionFixtures.conv3x3(4, 1, false))
                .add(LambdaBlock.singleton(x -> x.softmax(1), "channel softmax"))
                .add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build());
        UnfusableBlockException e = assertThrows(UnfusableBlockException.class, () -> fuse(net));
        assertEquals("02LambdaBlock", e.path());
        assertTrue(e.getMessage().contains("mixes the members' channels"), e.getMessage());
    }

    @Test
    void aLinearLayerOnImagesIsRejected() {
        Block net = new SequentialBlock().add(FusionFixtures.conv3x3(4, 1, false)).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
        assertEquals("03Linear", assertThrows(UnfusableBlockException.class, () -> fuse(net)).path());
    }

    @Test
    void aNetworkThatDoesNotEndInLogitsIsRejected() {
        Block net = new SequentialBlock().add(FusionFixtures.conv3x3(4, 1, false)).add(FusionFixtures.batchNorm());
        UnfusableBlockException e = assertThrows(UnfusableBlockException.class, () -> fuse(net));
        assertTrue(e.getMessage().contains("logits"), e.getMessage());
    }

    private FusedNetwork fuse(Block net) {
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4));
        return PopulationFuser.fuse(net, 2, new ImageShape(2, 4, 4), manager);
    }
}
