package io.papa.engine.fused;

import static io.papa.engine.fused.FusionFixtures.maxDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import io.papa.api.Options;
import io.papa.engine.data.ImageBatches;
import io.papa.engine.data.RegularizerStep;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.fused.FusionFixtures.Arch;
import io.papa.engine.fused.FusionFixtures.TestNet;
import io.papa.engine.optim.MemberOptimizer;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.Member;
import io.papa.engine.population.NonFiniteLossException;
import io.papa.engine.population.Population;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.population.TestExtensions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fused training steps give the parameters, statistics and losses of the per-member step. */
class FusedTrainerTest {

    private static final double TOLERANCE = 1e-4;
    private static final int STEPS = 5;
    private static final int BATCH = 8;
    private static final double LR = 0.05;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String optimizer : List.of("sgd", "adamw")) {
            for (Arch arch : Arch.values()) {
                for (int n = 1; n <= 3; n++) {
                    all.add(Arguments.of(optimizer, arch, n));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, n = {2}")
    @MethodSource("cases")
    void fusedStepsEqualPerMemberSteps(String optimizer, Arch arch, int n) {
        List<TestNet> separate = FusionFixtures.members(arch, n, 5, manager);
        List<TrainingStream> separateStreams = FusionFixtures.streams(arch.input, n, BATCH, 17);
        List<MemberOptimizer> separateOptimizers = FusionFixtures.optimizers(optimizer, n, manager);

        List<TestNet> initial = FusionFixtures.members(arch, n, 5, manager);
        FusedNetwork fused = PopulationFuser.fuse(initial.get(0).block(), n, arch.input, manager);
        fused.load(initial);
        FusedTrainer trainer = new FusedTrainer(fused, FusionFixtures.streams(arch.input, n, BATCH, 17),
                MemberOptimizer.create(optimizer, 0.9, 5e-4, manager), manager, Device.cpu());

        for (int step = 0; step < STEPS; step++) {
            float[] want = FusionFixtures.perMemberStep(separate, separateStreams, separateOptimizers, manager, LR);
            float[] got = trainer.trainStep(LR);
            assertArrayEquals(want, got, 1e-5f, "losses at step " + step);
        }
        Set<String> noise = optimizer.equals("sgd") ? Set.of() : biasesBeforeBatchNorm(separate.get(0).block());
        double difference = 0;
        for (int k = 0; k < n; k++) {
            for (String name : separate.get(k).parameters().keySet()) {
                if (!noise.contains(name)) {
                    difference = Math.max(difference, maxDifference(
                            fused.part(name, fused.parameters().get(name).getArray(), k),
                            separate.get(k).parameters().get(name).getArray()));
                }
            }
        }
        assertTrue(difference < TOLERANCE, optimizer + " " + arch + " n=" + n + ": max abs difference " + difference);
        // the training changed the values: equality is not that of two untouched copies
        assertTrue(maxDifference(fused, initial) > 1e-3);
        List<NDArray> inputs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            inputs.add(manager.randomNormal(new Shape(BATCH, arch.input.channels(), arch.input.height(),
                    arch.input.width())));
        }
        NDArray logits = fused.forward(FusionFixtures.stackChannels(inputs), true);
        for (int k = 0; k < n; k++) {
            NDArray want = separate.get(k).forward(inputs.get(k), true);
            assertTrue(maxDifference(logits.get(new NDIndex(":, {}", k)), want) < TOLERANCE, "logits of member " + k);
        }
    }

    /**
     * A conv bias right before a BatchNorm has no effect (the normalisation subtracts it), so its
     * gradient is zero up to rounding, and rounding differs between the fused and per-member
     * computations. Adam divides that noise by its own magnitude and moves the bias by about lr
     * each step in a direction set by the noise; the following running mean tracks the bias. Both
     * paths are equally right there; the outputs in training mode do not depend on it.
     */
    private static Set<String> biasesBeforeBatchNorm(Block net) {
        Set<String> names = new HashSet<>();
        var children = net.getChildren();
        for (int i = 0; i + 1 < children.size(); i++) {
            if (children.valueAt(i) instanceof Conv2d conv && conv.isIncludeBias()
                    && children.valueAt(i + 1) instanceof BatchNorm) {
                names.add(children.keyAt(i) + "_bias");
                names.add(children.keyAt(i + 1) + "_runningMean");
            }
        }
        return names;
    }

    @Test
    void optimiserStateMovesBetweenFusedAndPerMemberTraining() {
        // bias-free convolutions: no gradient that is zero up to rounding (see biasesBeforeBatchNorm)
        Arch arch = Arch.RESNET;
        int n = 3;
        // reference: 5 per-member steps
        List<TestNet> separate = FusionFixtures.members(arch, n, 23, manager);
        List<TrainingStream> streams = FusionFixtures.streams(arch.input, n, BATCH, 29);
        List<MemberOptimizer> optimizers = FusionFixtures.optimizers("adam", n, manager);
        for (int step = 0; step < STEPS; step++) {
            FusionFixtures.perMemberStep(separate, streams, optimizers, manager, LR);
        }

        // 2 per-member steps, 2 fused ones from the members' state, then 1 per-member from the fused state
        List<TestNet> members = FusionFixtures.members(arch, n, 23, manager);
        List<TrainingStream> memberStreams = FusionFixtures.streams(arch.input, n, BATCH, 29);
        List<MemberOptimizer> memberOptimizers = FusionFixtures.optimizers("adam", n, manager);
        for (int step = 0; step < 2; step++) {
            FusionFixtures.perMemberStep(members, memberStreams, memberOptimizers, manager, LR);
        }
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), n, arch.input, manager);
        fused.load(members);
        FusedTrainer trainer = new FusedTrainer(fused, memberStreams, MemberOptimizer.create("adam", 0.9, 5e-4, manager),
                manager, Device.cpu());
        trainer.loadOptimizers(memberOptimizers);
        for (int step = 0; step < 2; step++) {
            trainer.trainStep(LR);
        }
        fused.store(members);
        trainer.storeOptimizers(memberOptimizers);
        // Adam's per-parameter step counts went on from 2 to 4 in the fused optimiser
        assertEquals(Set.of(4L), Set.copyOf(memberOptimizers.get(0).counters().values()));
        FusionFixtures.perMemberStep(members, memberStreams, memberOptimizers, manager, LR);

        double max = 0;
        for (int k = 0; k < n; k++) {
            for (String name : separate.get(k).parameters().keySet()) {
                max = Math.max(max, maxDifference(separate.get(k).parameters().get(name).getArray(),
                        members.get(k).parameters().get(name).getArray()));
            }
        }
        assertTrue(max < TOLERANCE, "max abs difference " + max);
    }

    @Test
    void aDivergedMemberIsNamedAndNothingChanges() {
        Arch arch = Arch.MLP;
        List<TestNet> members = FusionFixtures.members(arch, 3, 3, manager);
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), 3, arch.input, manager);
        fused.load(members);
        List<TrainingStream> streams = new ArrayList<>(FusionFixtures.streams(arch.input, 3, BATCH, 5));
        ImageBatches images = new ImageBatches(new FusionFixtures.RandomImages(arch.input, 40, 5), new float[] {0.5f},
                new float[] {0.29f});
        streams.set(2, new TrainingStream(images, BATCH, FusionFixtures.CLASSES,
                List.of(new RegularizerStep(new TestExtensions.NanRegularizer(), 1, Options.none("nan"))), 1));
        FusedTrainer trainer = new FusedTrainer(fused, streams, MemberOptimizer.create("sgd", 0.9, 5e-4, manager),
                manager, Device.cpu());
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.trainStep(LR));
        assertTrue(e.getMessage().startsWith("member 2 has loss NaN"), e.getMessage());
        assertEquals(0.0, maxDifference(fused, members));
    }

    /** Against the engine's own {@link Population#trainStep()}, on a population built from test plugins. */
    @Test
    void fusedTrainerMatchesPopulationTrainStep() {
        try (PluginHost host = PluginHost.load()) {
            PopulationConfig config = PopulationConfig.builder()
                    .dataset(TestExtensions.DATASET, Map.of())
                    .architecture(TestExtensions.ARCHITECTURE, Map.of())
                    .nPop(3).lr(0.05).epochs(2).batchSize(32).device("cpu").augmentation(List.of())
                    .optimizer("sgd").momentum(0.9).weightDecay(5e-4).seed(41)
                    .build();
            try (Population separate = Population.create(config, host);
                    Population fusedPopulation = Population.create(config, host)) {
                FusedTrainer trainer = FusedTrainer.forPopulation(fusedPopulation);
                for (int step = 0; step < STEPS; step++) {
                    float[] want = separate.trainStep();
                    float[] got = trainer.trainStep(fusedPopulation.schedule().at(step));
                    assertArrayEquals(want, got, 1e-5f, "losses at step " + step);
                }
                List<Member> members = separate.members();
                double difference = maxDifference(trainer.network(), members);
                assertTrue(difference < TOLERANCE, "max abs difference " + difference);
                trainer.network().store(fusedPopulation.members());
                List<Member> stored = fusedPopulation.members();
                for (int k = 0; k < members.size(); k++) {
                    for (String name : members.get(k).parameters().keySet()) {
                        NDArray a = members.get(k).parameters().get(name).getArray();
                        NDArray b = stored.get(k).parameters().get(name).getArray();
                        assertTrue(maxDifference(a, b) < TOLERANCE, name);
                    }
                }
            }
        }
    }
}
