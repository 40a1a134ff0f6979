package io.papa.engine.fused;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.papa.api.ImageShape;
import io.papa.api.MixingMatrix;
import io.papa.engine.data.ImageBatches;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.fused.FusionFixtures.TestNet;
import io.papa.engine.merge.Mixer;
import io.papa.engine.optim.MemberOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Images per second of fused and per-member training steps, ResNet-20 (option A) at batch 64 on
 * 32x32 images, SGD with momentum and weight decay, and the time of a uniform average on either
 * layout. A measurement, not a test: it runs only with {@code -Dpapa.bench=true}, e.g.
 * {@code mvn -o -B test -pl framework/engine -Dtest=FusedBenchmark -Dpapa.bench=true}; threads come from
 * {@code papa.test.threads} (2 by default).
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "papa.bench", matches = "true")
class FusedBenchmark {

    private static final ImageShape INPUT = new ImageShape(3, 32, 32);
    private static final int BATCH = 64;
    private static final int WARMUP = 2;
    private static final int STEPS = 3;
    private static final int ROUNDS = 5;
    private static final double LR = 0.05;

    @Test
    void fusedVersusPerMember() throws IOException {
        System.out.printf("load before: %s%n", load());
        System.out.printf("threads: %s%n", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        System.out.printf("%4s %22s %22s %8s %14s %14s%n", "n", "per-member img/s", "fused img/s", "ratio",
                "Mixer avg ms", "fused avg ms");
        for (int n : new int[] {1, 3, 5}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                List<TestNet> members = resnet20(n, manager);
                List<TrainingStream> memberStreams = streams(n);
                List<MemberOptimizer> optimizers = FusionFixtures.optimizers("sgd", n, manager);

                List<TestNet> copies = resnet20(n, manager);
                FusedNetwork fused = PopulationFuser.fuse(copies.get(0).block(), n, INPUT, manager);
                fused.load(copies);
                FusedTrainer trainer = new FusedTrainer(fused, streams(n), MemberOptimizer.create("sgd", 0.9, 5e-4,
                        manager), manager, Device.cpu());

                double[] perMember = new double[ROUNDS];
                double[] fusedRate = new double[ROUNDS];
                for (int i = 0; i < WARMUP; i++) {
                    FusionFixtures.perMemberStep(members, memberStreams, optimizers, manager, LR);
                    trainer.trainStep(LR);
                }
                // alternate the two paths so that a change in machine load hits both
                for (int round = 0; round < ROUNDS; round++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < STEPS; i++) {
                        FusionFixtures.perMemberStep(members, memberStreams, optimizers, manager, LR);
                    }
                    perMember[round] = rate(n, start);
                    start = System.nanoTime();
                    for (int i = 0; i < STEPS; i++) {
                        trainer.trainStep(LR);
                    }
                    fusedRate[round] = rate(n, start);
                }

                double[][] uniform = new double[n][];
                for (int k = 0; k < n; k++) {
                    uniform[k] = MixingMatrix.uniform(n).row(k);
                }
                double mixerMs = medianMillis(() -> Mixer.mix(members, uniform, members));
                double fusedMs = medianMillis(() -> fused.mix(MixingMatrix.uniform(n)));

                System.out.printf("%4d %22s %22s %8.2f %14.1f %14.1f%n", n, summary(perMember), summary(fusedRate),
                        median(fusedRate) / median(perMember), mixerMs, fusedMs);
            }
        }
        System.out.printf("load after: %s%n", load());
    }

    private static List<TestNet> resnet20(int n, NDManager manager) {
        List<TestNet> nets = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Engine.getInstance().setRandomSeed(k + 1);
            Block block = FusionFixtures.resnet(16, 3, false);
            block.initialize(manager, DataType.FLOAT32,
                    new Shape(1, INPUT.channels(), INPUT.height(), INPUT.width()));
            nets.add(new TestNet(block, manager));
        }
        return nets;
    }

    private static List<TrainingStream> streams(int n) {
        float[] mean = {0.5f, 0.5f, 0.5f};
        float[] std = {0.25f, 0.25f, 0.25f};
        ImageBatches images = new ImageBatches(new FusionFixtures.RandomImages(INPUT, 8 * BATCH, 3), mean, std);
        List<TrainingStream> streams = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            streams.add(new TrainingStream(images, BATCH, FusionFixtures.CLASSES, List.of(), TrainingStream.mix(3, k)));
        }
        return streams;
    }

    /** Median over {@code ROUNDS} timed runs after one warm-up run. */
    private static double medianMillis(Runnable merge) {
        merge.run();
        double[] millis = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            merge.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return median(millis);
    }

    private static double rate(int n, long start) {
        return (double) n * BATCH * STEPS / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("%.0f [%.0f, %.0f]", median(values), sorted[0], sorted[sorted.length - 1]);
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
