package io.papa.engine.run;

import io.papa.api.Aligner;
import io.papa.api.MergeStrategy;
import io.papa.api.Options;
import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.eval.FinalEvaluation;
import io.papa.engine.eval.FinalResults;
import io.papa.engine.merge.MergeRunner;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.ProvidedExtension;
import io.papa.engine.population.Population;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.population.PopulationTrainer;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.report.Provenance;
import io.papa.engine.report.ReportWriter;
import io.papa.engine.report.RunReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole population experiment wired from a configuration: checks the configuration against the
 * loaded plugins before anything is computed, trains with the merge schedule, evaluates as the
 * reference does at the end and writes the report.
 */
public final class Experiment implements AutoCloseable {

    private final Population population;
    private final MergeRunner merges;
    private final List<MergeRunner.ConfiguredAligner> soupAligners;
    private final PopulationTrainer trainer;
    private CheckpointStore checkpoints;

    private Experiment(Population population, MergeRunner merges, List<MergeRunner.ConfiguredAligner> soupAligners,
            TrainingListener listener) {
        this.population = population;
        this.merges = merges;
        this.soupAligners = soupAligners;
        this.trainer = new PopulationTrainer(population, merges, new TrainingListener() {
            @Override
            public void onStart(Population p, int fromEpoch, int toEpoch) {
                listener.onStart(p, fromEpoch, toEpoch);
            }

            @Override
            public void onStep(int epoch, int stepInEpoch, float[] losses) {
                listener.onStep(epoch, stepInEpoch, losses);
            }

            @Override
            public void onMerge(io.papa.engine.merge.MergeRecord merge) {
                listener.onMerge(merge);
            }

            @Override
            public void onEpochEnd(io.papa.engine.population.EpochRecord record) {
                // after the epoch's merge: a resumed run continues exactly where this one stood
                if (checkpoints != null) {
                    checkpoints.save(population, trainer, "epoch " + (record.epoch() + 1));
                }
                listener.onEpochEnd(record);
            }

            @Override
            public void onFinish() {
                listener.onFinish();
            }
        });
    }

    /**
     * Writes a checkpoint after every epoch into {@code store}; when the store already holds one
     * (a killed or finished run with the same configuration), continues from it.
     *
     * @return the epoch the run continues from (0 for a fresh run)
     */
    public int checkpointInto(CheckpointStore store) {
        this.checkpoints = store;
        store.latest().ifPresent(checkpoint -> CheckpointStore.restore(checkpoint, population, trainer));
        return trainer.epoch();
    }

    /** Validates the configuration against the plugins, then builds the population. */
    public static Experiment create(PopulationConfig config, PluginHost host, TrainingListener listener) {
        ProvidedExtension<MergeStrategy> strategy = host.find(MergeStrategy.class, config.mergeStrategy());
        Options strategyOptions = Options.resolve("merge strategy '" + strategy.id() + "'",
                strategy.extension().options(), config.mergeOptions());
        List<MergeRunner.ConfiguredAligner> aligners = aligners(host, config.aligners());
        if (!aligners.isEmpty() && strategy.extension().cadence() != MergeStrategy.Cadence.EPOCHS) {
            throw new IllegalArgumentException("aligners " + config.aligners().keySet() + " run around merges, but '"
                    + strategy.id() + "' " + (strategy.extension().cadence() == MergeStrategy.Cadence.STEPS
                            ? "pulls members every few steps, where the reference applies no REPAIR or alignment"
                            : "never merges") + "; use them for the final soups instead");
        }
        List<MergeRunner.ConfiguredAligner> soupAligners = aligners(host, config.soupAligners());
        Population population = Population.create(config, host);
        return new Experiment(population, new MergeRunner(population, strategy, strategyOptions, aligners),
                soupAligners, listener);
    }

    private static List<MergeRunner.ConfiguredAligner> aligners(PluginHost host, Map<String, Map<String, String>> ids) {
        List<MergeRunner.ConfiguredAligner> aligners = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : ids.entrySet()) {
            ProvidedExtension<Aligner> aligner = host.find(Aligner.class, entry.getKey());
            aligners.add(new MergeRunner.ConfiguredAligner(aligner, Options.resolve("aligner '" + aligner.id() + "'",
                    aligner.extension().options(), entry.getValue())));
        }
        return aligners;
    }

    public Population population() {
        return population;
    }

    public PopulationTrainer trainer() {
        return trainer;
    }

    public MergeRunner merges() {
        return merges;
    }

    /** Trains every remaining epoch, evaluates, writes the report into {@code output} and returns it. */
    public RunReport run(Path output) {
        trainer.train(population.config().epochs());
        FinalResults results = FinalEvaluation.run(population, soupAligners);
        // over every epoch, including those of an earlier process when resumed
        double seconds = trainer.history().stream().mapToDouble(e -> e.seconds()).sum();
        double images = trainer.history().stream().mapToDouble(e -> e.imagesPerSecond() * e.seconds()).sum();
        List<String> used = new ArrayList<>();
        used.add(merges.strategy().coordinates());
        merges.aligners().forEach(a -> used.add(a.aligner().coordinates()));
        soupAligners.forEach(a -> used.add(a.aligner().coordinates()));
        RunReport report = new RunReport(Provenance.of(population, used), population.config(), results,
                trainer.history(), trainer.merges(), seconds, images / seconds);
        if (output != null) {
            ReportWriter.write(output, report);
        }
        return report;
    }

    @Override
    public void close() {
        population.close();
    }
}
