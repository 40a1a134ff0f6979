package io.papa.engine.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.engine.plugin.PluginHost;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch-cadence merge schedule of the reference (main.py:217): after epoch e when
 * {@code e % every_k == 0}, {@code e > 0 || mix_from_start}, {@code range[0]*E <= e+1 <= range[1]*E},
 * and never after the last epoch. Only the schedule is asked: nothing trains.
 */
class MergeScheduleTest {

    @TempDir
    static Path plugins;

    private static PluginHost host;

    @BeforeAll
    static void loadPlugins() {
        host = PluginHost.load(plugins); // the test architecture and dataset are on the class path
    }

    @AfterAll
    static void closePlugins() {
        host.close();
    }

    /** 0-based epochs after which a 300-epoch run merges. */
    private static List<Integer> mergeEpochs(UnaryOperator<PopulationConfig.Builder> options) {
        PopulationConfig.Builder builder = PopulationConfig.builder()
                .dataset(TestExtensions.DATASET, Map.of("train_size", "64", "test_size", "8"))
                .architecture(TestExtensions.ARCHITECTURE, Map.of("hidden", "4"))
                .merge("unused-here", Map.of())
                .augmentation(List.of())
                .device("cpu")
                .epochs(300)
                .everyKEpochs(5);
        try (Population population = Population.create(options.apply(builder).build(), host)) {
            PopulationTrainer trainer = new PopulationTrainer(population, null, new TrainingListener() { });
            List<Integer> epochs = new ArrayList<>();
            for (int epoch = 0; epoch < 300; epoch++) {
                if (trainer.epochMergeDue(epoch)) {
                    epochs.add(epoch);
                }
            }
            return epochs;
        }
    }

    private static List<Integer> multiplesOfFive(int from, int to) {
        return IntStream.rangeClosed(from, to).filter(e -> e % 5 == 0).boxed().toList();
    }

    @Test
    void everyFiveEpochsOver300MergesAfterEpochs0To295AndNeverAfterTheLast() {
        List<Integer> epochs = mergeEpochs(b -> b);
        assertEquals(60, epochs.size());
        assertEquals(multiplesOfFive(0, 295), epochs);
        assertFalse(epochs.contains(299), "the last epoch never merges");
    }

    @Test
    void withoutMixFromStartEpochZeroIsSkipped() {
        List<Integer> epochs = mergeEpochs(b -> b.mixFromStart(false));
        assertEquals(59, epochs.size());
        assertEquals(multiplesOfFive(5, 295), epochs);
    }

    @Test
    void rangeMergeFromHalfwayOnlyMergesOnceEpochPlusOneReaches150() {
        List<Integer> epochs = mergeEpochs(b -> b.rangeMerge(0.5, 1));
        // epoch 145: 146 < 150, no; epoch 150: 151 >= 150, yes
        assertEquals(multiplesOfFive(150, 295), epochs);
        assertEquals(30, epochs.size());
    }

    @Test
    void rangeMergeUpperBoundStopsMergingAfterItsEpoch() {
        // range (0, 0.5): e + 1 <= 150, so the last merge is after epoch 145
        assertEquals(multiplesOfFive(0, 145), mergeEpochs(b -> b.rangeMerge(0, 0.5)));
    }

    @Test
    void rangeMergeBoundsApplyToEpochPlusOneInclusive() {
        // every epoch is a candidate with every_k 1, so the bounds show exactly: 0.5 * 300 = 150 <= e + 1
        List<Integer> late = mergeEpochs(b -> b.everyKEpochs(1).rangeMerge(0.5, 1));
        assertEquals(149, late.get(0));
        assertEquals(298, late.get(late.size() - 1));
        assertEquals(150, late.size());
        // e + 1 <= 150
        List<Integer> early = mergeEpochs(b -> b.everyKEpochs(1).rangeMerge(0, 0.5));
        assertEquals(IntStream.rangeClosed(0, 149).boxed().toList(), early);
    }

    @Test
    void theLastEpochNeverMergesEvenWhenItIsAMultipleOfK() {
        // every_k 1: every epoch but the last (299)
        List<Integer> epochs = mergeEpochs(b -> b.everyKEpochs(1));
        assertEquals(299, epochs.size());
        assertEquals(298, epochs.get(epochs.size() - 1));
        // E = 301 makes the last epoch 300, a multiple of 5, and it still does not merge
        PopulationConfig.Builder builder = PopulationConfig.builder()
                .dataset(TestExtensions.DATASET, Map.of("train_size", "64", "test_size", "8"))
                .architecture(TestExtensions.ARCHITECTURE, Map.of("hidden", "4"))
                .augmentation(List.of()).device("cpu").epochs(301).everyKEpochs(5);
        try (Population population = Population.create(builder.build(), host)) {
            PopulationTrainer trainer = new PopulationTrainer(population, null, new TrainingListener() { });
            assertTrue(trainer.epochMergeDue(295));
            assertFalse(trainer.epochMergeDue(300));
        }
    }

    @Test
    void aSingleMemberNeverMerges() {
        assertTrue(mergeEpochs(b -> b.nPop(1)).isEmpty());
    }
}
