package io.papa.engine.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import io.papa.api.Architecture;
import io.papa.api.DatasetProvider;
import io.papa.api.MergeStrategy;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.eval.FinalResults;
import io.papa.engine.merge.MergeRecord;
import io.papa.engine.merge.Mixer;
import io.papa.engine.plugin.ExtensionKind;
import io.papa.engine.plugin.PluginException;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.ProvidedExtension;
import io.papa.engine.report.ReportWriter;
import io.papa.engine.report.RunReport;
import io.papa.engine.run.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, without the project's plugin jars: the architecture, dataset and regulariser are test
 * extensions on the class path, the merge strategy comes from a plugin jar packed by the test.
 */
class PopulationTrainingTest {

    @TempDir
    static Path shared;

    @TempDir
    Path work;

    private static PluginHost host;

    @BeforeAll
    static void loadPlugins() throws IOException {
        host = PluginHost.load(TestPluginJar.mergeStrategyPlugin(shared.resolve("plugins")));
        assertTrue(host.problems().isEmpty(), host.problems().toString());
    }

    @AfterAll
    static void closePlugins() {
        host.close();
    }

    static PopulationConfig.Builder config(long seed) {
        return PopulationConfig.builder()
                .dataset(TestExtensions.DATASET, Map.of())
                .architecture(TestExtensions.ARCHITECTURE, Map.of())
                .merge(TestAverageMerge.ID, Map.of())
                .nPop(2)
                .lr(0.05)
                .epochs(2)
                .batchSize(32)
                .device("cpu")
                .augmentation(List.of())
                .seed(seed);
    }

    /** Every member's parameters (running statistics included) as plain arrays. */
    static List<Map<String, float[]>> parameters(Population population) {
        List<Map<String, float[]>> all = new ArrayList<>();
        for (Member member : population.members()) {
            Map<String, float[]> values = new LinkedHashMap<>();
            member.parameters().forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
            all.add(values);
        }
        return all;
    }

    static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        double max = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name);
            float[] y = b.get(name);
            assertEquals(x.length, y.length, name);
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    static boolean bitIdentical(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String name : a.keySet()) {
            if (!Arrays.equals(a.get(name), b.get(name))) {
                return false;
            }
        }
        return true;
    }

    /** Watches a run: the members just before and just after every merge. */
    static final class MergeProbe implements TrainingListener {
        Population population;
        private List<Map<String, float[]>> endOfEpoch;
        final List<List<Map<String, float[]>>> beforeMerges = new ArrayList<>();
        final List<List<Map<String, float[]>>> afterMerges = new ArrayList<>();
        final List<MergeRecord> merges = new ArrayList<>();
        final List<EpochRecord> epochs = new ArrayList<>();

        @Override
        public void onStart(Population p, int fromEpoch, int toEpoch) {
            population = p;
        }

        @Override
        public void onStep(int epoch, int stepInEpoch, float[] losses) {
            // the epoch-cadence merge runs right after the epoch's last step
            if (stepInEpoch == population.stepsPerEpoch() - 1) {
                endOfEpoch = parameters(population);
            }
        }

        @Override
        public void onMerge(MergeRecord merge) {
            merges.add(merge);
            beforeMerges.add(endOfEpoch);
            afterMerges.add(parameters(population));
        }

        @Override
        public void onEpochEnd(EpochRecord record) {
            epochs.add(record);
        }
    }

    record Outcome(RunReport report, List<Map<String, float[]>> parameters, MergeProbe probe) {
        double[] accuracies() {
            return report.results().members().stream().mapToDouble(FinalResults.MemberResult::testAccuracy).toArray();
        }
    }

    static Outcome train(PopulationConfig config, Path output) {
        MergeProbe probe = new MergeProbe();
        try (Experiment experiment = Experiment.create(config, host, probe)) {
            RunReport report = experiment.run(output);
            return new Outcome(report, parameters(experiment.population()), probe);
        }
    }

    @Test
    void classPathExtensionsAreIndexedUnderThePluginIdClasspath(@TempDir Path empty) {
        try (PluginHost classpathOnly = PluginHost.load(empty)) {
            assertTrue(classpathOnly.problems().isEmpty(), classpathOnly.problems().toString());
            assertTrue(classpathOnly.plugins().isEmpty());
            ProvidedExtension<Architecture> architecture = classpathOnly.find(Architecture.class,
                    TestExtensions.ARCHITECTURE);
            assertEquals("classpath", architecture.pluginId());
            assertNull(architecture.source());
            assertEquals(TestExtensions.ARCHITECTURE + "@classpath:" + PluginHost.API_VERSION,
                    architecture.coordinates());
            assertEquals("classpath", classpathOnly.find(DatasetProvider.class, TestExtensions.DATASET).pluginId());
            assertEquals("classpath", classpathOnly.find(Regularizer.class, TestExtensions.NAN_REGULARIZER).pluginId());
            // the test merge strategy lives only in the packed jar
            assertTrue(classpathOnly.extensions(ExtensionKind.MERGE_STRATEGY).stream()
                    .noneMatch(e -> e.id().equals(TestAverageMerge.ID)));
        }
        ProvidedExtension<MergeStrategy> strategy = host.find(MergeStrategy.class, TestAverageMerge.ID);
        assertEquals(TestPluginJar.PLUGIN_ID, strategy.pluginId());
        assertEquals(List.of(TestPluginJar.PLUGIN_ID + ":" + TestPluginJar.VERSION), host.plugins());
    }

    @Test
    void aTwoMemberPopulationLearnsMergesAndWritesItsReport() throws IOException {
        Path output = work.resolve("run");
        Outcome outcome = train(config(7).evalEveryEpoch(true).build(), output);
        RunReport report = outcome.report();

        // both members learned the task: chance is 0.25
        double[] accuracies = outcome.accuracies();
        assertEquals(2, accuracies.length);
        for (int k = 0; k < 2; k++) {
            assertTrue(accuracies[k] > 0.6, "member " + k + " test accuracy " + accuracies[k]);
        }
        assertTrue(report.results().averageSoup().testAccuracy() > 0.6, "average soup");
        assertNotNull(report.results().greedySoup(), "val_perc 0.02 holds out data for the greedy soup");

        // every_k_epochs 5 over 2 epochs: one merge, after epoch 0, never after the last epoch
        MergeProbe probe = outcome.probe();
        assertEquals(1, probe.merges.size(), probe.merges.toString());
        assertEquals(0, probe.merges.get(0).epoch());
        assertEquals(TestAverageMerge.ID, probe.merges.get(0).strategy());
        assertEquals(probe.merges, report.merges());
        assertEquals(List.of(true, false), probe.epochs.stream().map(EpochRecord::merged).toList());
        // the members differed before the merge and are identical after it, running statistics included
        assertTrue(maxAbsDifference(probe.beforeMerges.get(0).get(0), probe.beforeMerges.get(0).get(1)) > 1e-3);
        List<Map<String, float[]>> merged = probe.afterMerges.get(0);
        assertTrue(bitIdentical(merged.get(0), merged.get(1)),
                "after avg the members differ by " + maxAbsDifference(merged.get(0), merged.get(1)));
        // and the uniform average is the mean of the parents
        for (String name : merged.get(0).keySet()) {
            float[] a = probe.beforeMerges.get(0).get(0).get(name);
            float[] b = probe.beforeMerges.get(0).get(1).get(name);
            float[] m = merged.get(0).get(name);
            for (int i = 0; i < m.length; i++) {
                assertEquals((a[i] + b[i]) / 2.0, m[i], 1e-6, name + "[" + i + "]");
            }
        }
        // epoch 1 trains the members apart again (different batches)
        assertTrue(maxAbsDifference(outcome.parameters().get(0), outcome.parameters().get(1)) > 0);
        assertEquals(2, report.history().size());
        assertNotNull(report.history().get(1).testAccuracy());

        // files: results.json, summary.txt, results.txt (and the plot, since accuracies were recorded)
        for (String file : List.of("results.json", "summary.txt", "results.txt", "accuracy.png")) {
            assertTrue(Files.size(output.resolve(file)) > 0, file + " missing or empty");
        }
        JsonNode json = ReportWriter.json().readTree(output.resolve("results.json").toFile());
        JsonNode provenance = json.get("provenance");
        assertEquals(7, provenance.get("seed").asLong());
        Options datasetOptions = Options.resolve("dataset", new TestExtensions.QuadrantDataset().options(), Map.of());
        String checksum = new TestExtensions.QuadrantDataset().load(datasetOptions).checksum();
        assertEquals(checksum, provenance.get("datasetChecksum").asText());
        assertEquals(64, checksum.length());
        List<String> extensions = new ArrayList<>();
        provenance.get("extensions").forEach(e -> extensions.add(e.asText()));
        // extension coordinates id@plugin:version: where each piece of the run came from
        assertTrue(extensions.contains(TestExtensions.ARCHITECTURE + "@classpath:" + PluginHost.API_VERSION),
                extensions.toString());
        assertTrue(extensions.contains(TestAverageMerge.ID + "@" + TestPluginJar.PLUGIN_ID + ":" + TestPluginJar.VERSION),
                extensions.toString());
        assertTrue(extensions.contains(TestExtensions.DATASET + "@classpath:" + PluginHost.API_VERSION),
                extensions.toString());
        assertEquals(List.of(TestPluginJar.PLUGIN_ID + ":" + TestPluginJar.VERSION),
                ReportWriter.json().convertValue(provenance.get("plugins"), List.class));
        assertEquals("PyTorch", provenance.get("engine").asText());
        JsonNode config = json.get("config");
        assertEquals(TestExtensions.DATASET, config.get("dataset").asText());
        assertEquals(TestExtensions.ARCHITECTURE, config.get("architecture").asText());
        assertEquals(2, config.get("nPop").asInt());
        assertEquals(0.05, config.get("lr").asDouble(), 0);
        assertEquals(7, config.get("seed").asLong());
        assertEquals(TestAverageMerge.ID, config.get("mergeStrategy").asText());
        assertEquals(accuracies[1], json.get("results").get("members").get(1).get("testAccuracy").asDouble(), 0);

        String summary = Files.readString(output.resolve("summary.txt"));
        assertTrue(summary.contains("model-0 test_acc"), summary);
        assertTrue(summary.contains("model-1 test_acc"), summary);
        assertTrue(summary.contains(report.results().summaryLine()), summary);
        List<String> lines = Files.readAllLines(output.resolve("results.txt"));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(TestExtensions.DATASET, ReportWriter.json().readTree(lines.get(0)).get("dataset").asText());
        assertTrue(lines.get(1).startsWith("Models Mean [min, max] & Ens & AvgSoup & GreedySoup = "), lines.get(1));
    }

    @Test
    void theSameSeedIsBitIdenticalAndAnotherSeedIsNot() {
        Outcome first = train(config(21).build(), work.resolve("a"));
        Outcome again = train(config(21).build(), work.resolve("b"));
        Outcome other = train(config(22).build(), work.resolve("c"));
        assertArrayEquals(first.accuracies(), again.accuracies());
        for (int k = 0; k < 2; k++) {
            assertTrue(bitIdentical(first.parameters().get(k), again.parameters().get(k)),
                    "member " + k + " differs by " + maxAbsDifference(first.parameters().get(k),
                            again.parameters().get(k)));
            assertTrue(maxAbsDifference(first.parameters().get(k), other.parameters().get(k)) > 1e-3,
                    "member " + k + " is the same with seeds 21 and 22");
        }
    }

    @Test
    void trainingMembersJointlyEqualsTrainingThemAlone() {
        // member i's init and data order derive from (seed, i) only, so member 0 of a 2-member population
        // and the single member of a 1-member population with the same seed are the same member
        int steps = 12;
        try (Population joint = Population.create(config(5).nPop(2).build(), host);
                Population alone = Population.create(config(5).nPop(1).build(), host)) {
            assertTrue(bitIdentical(parameters(joint).get(0), parameters(alone).get(0)), "initialisations differ");
            assertTrue(maxAbsDifference(parameters(joint).get(0), parameters(joint).get(1)) > 1e-3,
                    "members 0 and 1 start from the same weights");
            float[] jointLoss = null;
            float[] aloneLoss = null;
            for (int s = 0; s < steps; s++) {
                jointLoss = joint.trainStep();
                aloneLoss = alone.trainStep();
                assertEquals(aloneLoss[0], jointLoss[0], 1e-5, "loss at step " + s);
            }
            // each member runs its own forward and backward, so nothing is even summed in another order
            assertTrue(bitIdentical(parameters(joint).get(0), parameters(alone).get(0)),
                    "member 0 trained jointly differs from alone by "
                            + maxAbsDifference(parameters(joint).get(0), parameters(alone).get(0)));
            assertTrue(maxAbsDifference(parameters(joint).get(0), parameters(joint).get(1)) > 1e-3);
            assertEquals(steps, joint.step());
            // the optimiser state matches too
            var jointMomentum = joint.members().get(0).optimizer().state();
            var aloneMomentum = alone.members().get(0).optimizer().state();
            assertEquals(aloneMomentum.keySet(), jointMomentum.keySet());
            for (String key : jointMomentum.keySet()) {
                assertArrayEquals(aloneMomentum.get(key).toFloatArray(), jointMomentum.get(key).toFloatArray(), 1e-5f,
                        key);
            }
        }
    }

    @Test
    void theFusedStepPathTrainsMergesAndReportsWhatThePerMemberPathDoes() {
        // three epochs with an average after epochs 0 and 1, evaluation every epoch and the final soups
        PopulationConfig.Builder base = config(5).nPop(3).epochs(3).everyKEpochs(1).evalEveryEpoch(true);
        Outcome perMember = train(base.build(), work.resolve("per-member"));
        Outcome fused = train(base.stepPath("fused").build(), work.resolve("fused"));
        assertEquals("fused", fused.report().config().stepPath());
        assertEquals(2, fused.probe().merges.size());
        for (int k = 0; k < 3; k++) {
            double difference = maxAbsDifference(perMember.parameters().get(k), fused.parameters().get(k));
            assertTrue(difference < 1e-4, "member " + k + " differs between the paths by " + difference);
        }
        // the merges reached the members: right after one, every member holds the average
        List<Map<String, float[]>> merged = fused.probe().afterMerges.get(0);
        assertTrue(maxAbsDifference(merged.get(0), merged.get(2)) < 1e-6);
        assertArrayEquals(perMember.accuracies(), fused.accuracies(), 0.01);
        assertEquals(perMember.report().results().averageSoup().testAccuracy(),
                fused.report().results().averageSoup().testAccuracy(), 0.01);
    }

    @Test
    void anArchitectureTheFusedStepCannotFuseIsRejectedNamingItAndTheValidPath() {
        PopulationConfig config = config(5).architecture(TestExtensions.ARCHITECTURE, Map.of("dropout", "true"))
                .stepPath("fused").build();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Population.create(config, host).close());
        String message = error.getMessage();
        assertTrue(message.contains("step_path = fused") && message.contains(TestExtensions.ARCHITECTURE)
                && message.contains("Dropout") && message.contains("use step_path = per-member"), message);
        // the same network trains on the per-member path
        try (Population population = Population.create(config.toBuilder().stepPath("per-member").build(), host)) {
            assertEquals(2, population.trainStep().length);
        }
    }

    @Test
    void aStepIsPlainSgdOnTheMembersOwnBatchWithSoftTargetCrossEntropy() {
        // constant lr, no momentum, no weight decay: w <- w - lr * grad, step after step (no stale gradients)
        double lr = 0.05;
        PopulationConfig config = config(9).nPop(1).momentum(0).weightDecay(0).lrScheduler("constant").build();
        try (Population population = Population.create(config, host);
                NDManager manager = NDManager.newBaseManager()) {
            Member member = population.members().get(0);
            // a reference copy of the member, trained by hand on the same stream of batches
            Block block = new TestExtensions.TinyMlp().build(population.imageShape(), 4,
                    Options.resolve("architecture", new TestExtensions.TinyMlp().options(), Map.of()));
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
            Member reference = new Member(-1, block, new ParameterStore(manager, false), Map.of(), null, null);
            Mixer.mix(List.of(member), new double[][] {{1}}, List.of(reference));
            TrainingStream stream = new TrainingStream(population.trainImages(), 32, 4, List.of(),
                    TrainingStream.mix(config.seed(), 0));
            for (int s = 0; s < 3; s++) {
                float expectedLoss;
                try (NDManager scope = manager.newSubManager()) {
                    Regularizer.Batch batch = stream.next(scope, Device.cpu());
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = reference.forward(batch.images(), true);
                        NDArray loss = logits.logSoftmax(1).mul(batch.targets()).sum(new int[] {1}).neg().mean();
                        collector.backward(loss);
                        expectedLoss = loss.getFloat();
                    }
                    for (Parameter parameter : reference.parameters().values()) {
                        if (parameter.requiresGradient()) {
                            NDArray gradient = parameter.getArray().getGradient();
                            parameter.getArray().subi(gradient.mul(lr));
                            gradient.subi(gradient);
                        }
                    }
                }
                float[] losses = population.trainStep();
                assertEquals(expectedLoss, losses[0], 1e-5, "loss at step " + s);
                double difference = maxAbsDifference(parameters(population).get(0), snapshot(reference));
                assertTrue(difference < 1e-5, "step " + s + ": the member differs from hand-made SGD by " + difference);
            }
        }
    }

    private static Map<String, float[]> snapshot(Member member) {
        Map<String, float[]> values = new LinkedHashMap<>();
        member.parameters().forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }

    @Test
    void aNonFiniteLossStopsTrainingAndNamesTheMember() {
        // the NaN regulariser goes to one member only: the grid [0, 1] gives each member one value
        PopulationConfig config = config(3).regularization(TestExtensions.NAN_REGULARIZER, List.of(0.0, 1.0)).build();
        try (Experiment experiment = Experiment.create(config, host, new TrainingListener() { })) {
            List<Member> members = experiment.population().members();
            int poisoned = members.get(0).regularization().get(TestExtensions.NAN_REGULARIZER) > 0 ? 0 : 1;
            assertEquals(0.0, members.get(1 - poisoned).regularization().get(TestExtensions.NAN_REGULARIZER));
            NonFiniteLossException error = assertThrows(NonFiniteLossException.class,
                    () -> experiment.run(work.resolve("nan")));
            String message = error.getMessage();
            assertTrue(message.contains("member " + poisoned + " "), message);
            assertFalse(message.contains("member " + (1 - poisoned) + " "), message);
            assertTrue(message.contains("NaN"), message);
            assertFalse(Files.exists(work.resolve("nan").resolve("results.json")), "a diverged run wrote results");
        }
    }

    @Test
    void aStepWithANonFiniteLossUpdatesNoWeight() {
        PopulationConfig config = config(3).regularization(TestExtensions.NAN_REGULARIZER, List.of(0.0, 1.0)).build();
        try (Population population = Population.create(config, host)) {
            List<Map<String, float[]>> before = parameters(population);
            assertThrows(NonFiniteLossException.class, population::trainStep);
            List<Map<String, float[]>> after = parameters(population);
            for (int k = 0; k < before.size(); k++) {
                assertTrue(bitIdentical(before.get(k), after.get(k)), "member " + k + " stepped on a diverged step");
            }
            assertEquals(0, population.step());
            for (Member member : population.members()) {
                for (Parameter parameter : member.parameters().values()) {
                    if (parameter.requiresGradient()) {
                        assertEquals(0f, parameter.getArray().getGradient().abs().max().getFloat(),
                                "gradient of " + parameter.getName() + " left behind");
                    }
                }
            }
        }
    }

    @Test
    void anUnknownArchitectureIsAPluginErrorListingTheValidIds() {
        PopulationConfig config = config(1).architecture("no-such-net", Map.of()).build();
        PluginException error = assertThrows(PluginException.class,
                () -> Experiment.create(config, host, new TrainingListener() { }).close());
        assertTrue(error.getMessage().contains("unknown architecture 'no-such-net'"), error.getMessage());
        assertTrue(error.getMessage().contains("valid: ") && error.getMessage().contains(TestExtensions.ARCHITECTURE),
                error.getMessage());
    }

    @Test
    void anUnknownMergeStrategyIsAPluginErrorListingTheValidIds() {
        PopulationConfig config = config(1).merge("papa-9000", Map.of()).build();
        PluginException error = assertThrows(PluginException.class,
                () -> Experiment.create(config, host, new TrainingListener() { }).close());
        assertTrue(error.getMessage().contains("'papa-9000'"), error.getMessage());
        assertTrue(error.getMessage().contains(TestAverageMerge.ID), error.getMessage());
    }

    @Test
    void theBuilderRejectsInvalidOptionsNamingThem() {
        assertRejected(PopulationConfig.builder().nPop(0), "n_pop");
        assertRejected(PopulationConfig.builder().lr(0.1).lrMin(0.2), "lr_min");
        assertRejected(PopulationConfig.builder().rangeMerge(0.8, 0.2), "range_merge");
        assertRejected(PopulationConfig.builder().rangeMerge(0, 1.5), "range_merge");
        assertRejected(PopulationConfig.builder().optimizer("rmsprop"), "optim");
        assertRejected(PopulationConfig.builder().regularization("mixup", List.of()), "mixup");
        assertRejected(PopulationConfig.builder().stepPath("vectorised"), "step_path");
        assertRejected(PopulationConfig.builder().stepPath("fused").linearProbe(0.1), "step_path");
        // the boundaries are valid
        assertEquals(1, PopulationConfig.builder().nPop(1).lr(0.1).lrMin(0.1).rangeMerge(0.5, 0.5).build().nPop());
    }

    private static void assertRejected(PopulationConfig.Builder builder, String option) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(error.getMessage().contains(option), "'" + error.getMessage() + "' does not name " + option);
    }

    @Test
    void theValidationSplitIsTheSameForEveryRunSeed() {
        try (Population one = Population.create(config(1).build(), host);
                Population two = Population.create(config(2).build(), host)) {
            assertEquals(12, one.validationImages().images().size(), "floor(0.02 * 600)");
            assertEquals(588, one.trainImages().images().size());
            assertEquals(19, one.stepsPerEpoch(), "ceil(588 / 32)");
            var a = one.validationImages().images();
            var b = two.validationImages().images();
            assertEquals(a.size(), b.size());
            float[] x = new float[a.shape().size()];
            float[] y = new float[b.shape().size()];
            for (int i = 0; i < a.size(); i++) {
                a.read(i, x, 0);
                b.read(i, y, 0);
                assertArrayEquals(x, y, "validation image " + i);
                assertEquals(a.label(i), b.label(i));
            }
            // but the members themselves differ between the two seeds
            assertTrue(maxAbsDifference(parameters(one).get(0), parameters(two).get(0)) > 1e-3);
        }
    }
}
