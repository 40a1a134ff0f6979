package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.run.Experiment;
import io.papa.engine.weights.ModelExport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning from pretrained weights with linear probing, on the real plugins and the bundled digits. */
class FineTuneTest {

    private static PluginHost host;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        host = PluginHost.load(Cli.PLUGINS);
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    private static PopulationConfig.Builder digits(String classes, int nPop, int epochs) {
        return PopulationConfig.builder()
                .dataset("digits", Map.of("classes", classes, "limit", "800"))
                .architecture("cnn", Map.of("width", "8"))
                .nPop(nPop).epochs(epochs).batchSize(32).lr(0.05).device("cpu").seed(3)
                .merge("none", Map.of()).augmentation(List.of());
    }

    private static Map<String, float[]> snapshot(Member member) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : member.parameters().entrySet()) {
            values.put(entry.getKey(), entry.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static boolean same(float[] a, NDArray b) {
        return java.util.Arrays.equals(a, b.toFloatArray());
    }

    @Test
    void aZooModelStartsEveryMemberWithANewHeadAndTheBackboneIsFrozenOnlyWhileProbing() throws Exception {
        Path zoo = work.resolve("pretrained-cnn");
        Map<String, float[]> pretrained;
        try (Experiment source = Experiment.create(digits("0-4", 1, 1).build(), host, new TrainingListener() { })) {
            source.trainer().train(1);
            Member trained = source.population().members().get(0);
            ModelExport.djlModel(zoo, trained.block(), Map.of());
            pretrained = snapshot(trained);
        }
        PopulationConfig config = digits("5-9", 2, 2).pretrained("zoo:" + zoo.toUri() + "#classes=5").linearProbe(0.5).build();
        assertEquals(1, config.linearProbeEpochs());
        try (Experiment fineTune = Experiment.create(config, host, new TrainingListener() { })) {
            Population population = fineTune.population();
            for (Member member : population.members()) {
                Set<String> head = Population.head(member);
                assertEquals(2, head.size(), "the head is the final linear layer: " + head);
                for (Map.Entry<String, Parameter> entry : member.parameters().entrySet()) {
                    boolean loaded = same(pretrained.get(entry.getKey()), entry.getValue().getArray());
                    assertEquals(!head.contains(entry.getKey()), loaded, entry.getKey() + " loaded from the zoo model");
                }
            }
            Map<String, float[]> before = snapshot(population.members().get(0));
            fineTune.trainer().train(1);
            Member probed = population.members().get(0);
            Set<String> head = Population.head(probed);
            for (Map.Entry<String, Parameter> entry : probed.parameters().entrySet()) {
                boolean trainable = entry.getValue().getType() != Parameter.Type.RUNNING_MEAN
                        && entry.getValue().getType() != Parameter.Type.RUNNING_VAR;
                if (trainable) {
                    assertEquals(!head.contains(entry.getKey()), same(before.get(entry.getKey()), entry.getValue().getArray()),
                            entry.getKey() + (head.contains(entry.getKey()) ? " (head) trains" : " (backbone) is frozen")
                                    + " while probing");
                }
            }
            Map<String, float[]> probedValues = snapshot(probed);
            fineTune.trainer().train(2);
            long changed = probed.parameters().entrySet().stream()
                    .filter(e -> !head.contains(e.getKey()) && !same(probedValues.get(e.getKey()), e.getValue().getArray()))
                    .count();
            assertTrue(changed > 0, "the backbone trains after probing");
        }
    }
}
