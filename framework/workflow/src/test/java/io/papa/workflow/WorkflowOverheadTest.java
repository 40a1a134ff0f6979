package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.run.Experiment;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow layer against the engine called directly, on one configuration: the same numbers,
 * and the time the layer adds (printed, not asserted: it depends on the machine, and on anything
 * else running on it; the best of two runs each is compared).
 */
class WorkflowOverheadTest {

    @TempDir
    Path work;

    private Map<String, String> settings(Path output) {
        Map<String, String> values = Routes.tiny(output);
        values.put("limit", "1500");
        values.put("n_pop", "3");
        values.put("epochs", "3");
        values.put("every_k_epochs", "1");
        return values;
    }

    /** Wall time and the part of it spent in training epochs (from the report's history). */
    private record Timing(double seconds, double training) {
        double outside() {
            return seconds - training;
        }
    }

    /**
     * What papa train does: the experiment with a checkpoint after every epoch, evaluation and report,
     * on a fresh thread as the workflow's stages are (on a loaded machine, torch on the JVM's main
     * thread was measured 2 to 20 times slower than on a fresh thread with the same thread count).
     */
    private Timing direct(PopulationConfig config, Path output) throws Exception {
        double[] seconds = new double[1];
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            try (Experiment experiment = Experiment.create(config, Routes.host(), new TrainingListener() { })) {
                experiment.checkpointInto(new CheckpointStore(output, 2));
                experiment.run(output);
            }
            seconds[0] = (System.nanoTime() - started) / 1e9;
        });
        thread.start();
        thread.join();
        return new Timing(seconds[0], Routes.results(output).path("trainingSeconds").asDouble());
    }

    private Timing workflow(Path output) {
        long started = System.nanoTime();
        Routes.run(Routes.file("papa-all.yaml"), settings(output));
        return new Timing((System.nanoTime() - started) / 1e9, Routes.results(output).path("trainingSeconds").asDouble());
    }

    @Test
    void theWorkflowGivesTheEnginesNumbersAndAddsLittleTime() throws Exception {
        // libtorch, the JIT and the dataset's first read before anything is timed
        Map<String, String> warm = Routes.tiny(work.resolve("warm"));
        warm.put("epochs", "1");
        Routes.run(Routes.file("papa-all.yaml"), warm);

        Timing workflow1 = workflow(work.resolve("workflow-1"));
        PopulationConfig config = new CheckpointStore(work.resolve("workflow-1"), 2).latest().orElseThrow()
                .manifest().config();
        Timing direct1 = direct(config, work.resolve("direct-1"));
        Timing workflow2 = workflow(work.resolve("workflow-2"));
        Timing direct2 = direct(config, work.resolve("direct-2"));

        assertEquals(Routes.numbers(work.resolve("direct-1")), Routes.numbers(work.resolve("workflow-1")),
                "the workflow trains, merges and evaluates exactly as the engine does");
        // time outside the training epochs: what the layer can add (training itself is the same code)
        double engine = Math.min(direct1.outside(), direct2.outside());
        double layered = Math.min(workflow1.outside(), workflow2.outside());
        System.out.printf(Locale.ROOT, "workflow overhead: engine %.2f s, %.2f s (training %.2f s, %.2f s);"
                + " workflow %.2f s, %.2f s (training %.2f s, %.2f s); outside training, best of two: engine %.2f s,"
                + " workflow %.2f s: %+.2f s for a CamelContext, 3 Quartz stages, 2 merges, evaluate, report%n",
                direct1.seconds(), direct2.seconds(), direct1.training(), direct2.training(), workflow1.seconds(),
                workflow2.seconds(), workflow1.training(), workflow2.training(), engine, layered, layered - engine);
    }
}
