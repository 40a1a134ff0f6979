package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.run.Experiment;
import io.papa.engine.weights.ModelExport;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * workflows/finetune.yaml: a ResNet-20 pretrained on digits 0-4 by papa-all.yaml and saved into a
 * local DJL model-zoo directory is fine-tuned on digits 5-9, and beats the same route started from
 * random weights after the same short budget.
 */
class FineTuneRouteTest {

    @TempDir
    Path work;

    private static Map<String, String> budget(Path output) {
        Map<String, String> values = Routes.tiny(output);
        values.put("arch", "resnet20");
        values.put("width", "8");
        values.put("lr", "0.02");
        values.put("lr_min", "1e-4");
        values.put("optim", "sgd");
        values.put("ema_alpha", "0.99");
        values.put("mixup", "0.0");
        values.put("smooth", "0.0");
        values.put("cutmix", "0.0");
        values.put("re", "0.0");
        // one member: the comparison is pretrained against random weights, not a population effect
        values.put("n_pop", "1");
        return values;
    }

    @Test
    void aPretrainedStartBeatsRandomWeightsOnNewClasses() throws java.io.IOException {
        Path pretrainRun = work.resolve("pretrain");
        Map<String, String> pretrain = budget(pretrainRun);
        pretrain.put("classes", "0-4");
        pretrain.put("limit", "2000");
        pretrain.put("lr", "0.05");
        Routes.run(Routes.file("papa-all.yaml"), Routes.usedBy(Routes.file("papa-all.yaml"), pretrain));
        Path zoo = work.resolve("zoo").resolve("resnet20-digits-0-4");
        try (Experiment pretrained = Experiment.open(pretrainRun, Routes.host(), new TrainingListener() { })) {
            ModelExport.djlModel(zoo, pretrained.population().members().get(0).block(), Map.of());
        }
        String source = "zoo:" + zoo.toUri() + "#classes=5";

        double[] accuracy = new double[2];
        for (int i = 0; i < 2; i++) {
            Path run = work.resolve(i == 0 ? "scratch" : "finetuned");
            Map<String, String> values = budget(run);
            values.put("classes", "5-9");
            values.put("linear_prob_time", "0");
            values.put("pretrained", i == 0 ? "" : source);
            Routes.run(Routes.file("finetune.yaml"), Routes.usedBy(Routes.file("finetune.yaml"), values));
            JsonNode report = Routes.results(run);
            assertEquals(i == 0 ? "" : source, report.path("config").path("pretrained").asText(""));
            accuracy[i] = report.path("results").path("mean").asDouble();
        }
        System.out.printf("finetune.yaml: mean member accuracy %.4f from the zoo model, %.4f from random weights%n",
                accuracy[1], accuracy[0]);
        assertTrue(accuracy[1] > accuracy[0] + 0.1,
                "fine-tuned mean accuracy " + accuracy[1] + " vs from random weights " + accuracy[0]);
    }
}
