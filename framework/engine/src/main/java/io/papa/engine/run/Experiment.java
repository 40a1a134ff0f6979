package io.papa.engine.run;

import io.papa.api.Aligner;
import io.papa.api.MergeStrategy;
import io.papa.api.Options;
import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.eval.FinalEvaluation;
import io.papa.engine.eval.FinalResults;
import io.papa.engine.merge.MergeRecord;
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

    /**
     * What {@link #evaluate} found, with the soup aligners it used (id to options) and their coordinates
     * for provenance.
     */
    public record Evaluation(FinalResults results, Map<String, Map<String, String>> soupAligners,
            List<String> soupAlignerCoordinates) {
    }

    private final Population population;
    private final MergeRunner merges;
    private final PopulationTrainer trainer;
    private CheckpointStore checkpoints;

    private Experiment(Population population, MergeRunner merges, TrainingListener listener) {
        this.population = population;
        this.merges = merges;
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

    /** Writes a checkpoint now (after a merge or any other step that changed the members). */
    public CheckpointStore.Checkpoint checkpoint(String label) {
        if (checkpoints == null) {
            throw new IllegalStateException("no checkpoint store: call checkpointInto first");
        }
        return checkpoints.save(population, trainer, label);
    }

    /** Validates the configuration against the plugins, then builds the population. */
    public static Experiment create(PopulationConfig config, PluginHost host, TrainingListener listener) {
        Wiring wiring = Wiring.of(config, host);
        Population population = Population.create(config, host);
        return new Experiment(population, new MergeRunner(population, wiring.strategy(), wiring.strategyOptions(),
                wiring.aligners()), listener);
    }

    /**
     * Checks every id and option of a configuration against the loaded plugins without reading data
     * or building networks: what a workflow does when its route starts.
     */
    public static void check(PopulationConfig config, PluginHost host) {
        checkMerging(config, host);
        Population.check(config, host);
    }

    /** Checks the merge strategy, its options and the aligners of a configuration against the plugins. */
    public static void checkMerging(PopulationConfig config, PluginHost host) {
        Wiring.of(config, host);
    }

    /** The merge strategy and aligners of a configuration, checked against the plugins. */
    private record Wiring(ProvidedExtension<MergeStrategy> strategy, Options strategyOptions,
            List<MergeRunner.ConfiguredAligner> aligners) {

        static Wiring of(PopulationConfig config, PluginHost host) {
            ProvidedExtension<MergeStrategy> strategy = host.find(MergeStrategy.class, config.mergeStrategy());
            Options strategyOptions = Options.resolve("merge strategy '" + strategy.id() + "'",
                    strategy.extension().options(), config.mergeOptions());
            List<MergeRunner.ConfiguredAligner> aligners = Experiment.aligners(host, config.aligners());
            if (!aligners.isEmpty() && strategy.extension().cadence() != MergeStrategy.Cadence.EPOCHS) {
                throw new IllegalArgumentException("aligners " + config.aligners().keySet() + " run around merges, but '"
                        + strategy.id() + "' " + (strategy.extension().cadence() == MergeStrategy.Cadence.STEPS
                                ? "pulls members every few steps, where the reference applies no REPAIR or alignment"
                                : "never merges") + "; use them for the final soups instead");
            }
            // resolved again when evaluating; here so that a wrong id or option fails before any training
            Experiment.aligners(host, config.soupAligners());
            return new Wiring(strategy, strategyOptions, aligners);
        }
    }

    /** Aligners by id with their options, checked against the loaded plugins. */
    public static List<MergeRunner.ConfiguredAligner> aligners(PluginHost host, Map<String, Map<String, String>> ids) {
        List<MergeRunner.ConfiguredAligner> aligners = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : ids.entrySet()) {
            ProvidedExtension<Aligner> aligner = host.find(Aligner.class, entry.getKey());
            aligners.add(new MergeRunner.ConfiguredAligner(aligner, Options.resolve("aligner '" + aligner.id() + "'",
                    aligner.extension().options(), entry.getValue())));
        }
        return aligners;
    }

    /**
     * Reopens a run from the latest checkpoint in {@code runDirectory}, with the configuration that
     * made it: the state is in files, so any JVM can continue, evaluate or export a run.
     */
    public static Experiment open(Path runDirectory, PluginHost host, TrainingListener listener) {
        CheckpointStore store = new CheckpointStore(runDirectory, 2);
        CheckpointStore.Checkpoint checkpoint = store.latest().orElseThrow(() -> new IllegalArgumentException(
                runDirectory + " holds no papa checkpoint (expected " + store.directory() + "/LATEST)"));
        Experiment experiment = create(checkpoint.manifest().config(), host, listener);
        experiment.checkpointInto(store);
        return experiment;
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
        RunReport report = report(evaluate(population.config().soupAligners()));
        if (output != null) {
            ReportWriter.write(output, report);
        }
        return report;
    }

    /**
     * Runs {@code aligners} (id to options) on the members with nothing mixed and logs it beside the
     * merges: see {@link MergeRunner#realign}.
     */
    public MergeRecord realign(String label, Map<String, Map<String, String>> aligners) {
        MergeRecord record = merges.realign(trainer.epoch() - 1, label, aligners(population.host(), aligners));
        trainer.record(record);
        return record;
    }

    /**
     * Evaluates the population as the reference does at the end of training: members, logit
     * ensemble, uniform and greedy soups, with {@code soupAligners} (id to options) around each soup.
     */
    public Evaluation evaluate(Map<String, Map<String, String>> soupAligners) {
        List<MergeRunner.ConfiguredAligner> configured = aligners(population.host(), soupAligners);
        return new Evaluation(FinalEvaluation.run(population, configured), soupAligners,
                configured.stream().map(a -> a.aligner().coordinates()).toList());
    }

    /** The report of an evaluation: results, configuration (with the soup aligners used), history, provenance. */
    public RunReport report(Evaluation evaluation) {
        // over every epoch, including those of an earlier process when resumed
        double seconds = trainer.history().stream().mapToDouble(e -> e.seconds()).sum();
        double images = trainer.history().stream().mapToDouble(e -> e.imagesPerSecond() * e.seconds()).sum();
        List<String> used = new ArrayList<>();
        used.add(merges.strategy().coordinates());
        merges.aligners().forEach(a -> used.add(a.aligner().coordinates()));
        used.addAll(evaluation.soupAlignerCoordinates());
        PopulationConfig config = population.config();
        if (!config.soupAligners().equals(evaluation.soupAligners())) {
            config = config.toBuilder().soupAligners(evaluation.soupAligners()).build();
        }
        return new RunReport(Provenance.of(population, used), config, evaluation.results(), trainer.history(),
                trainer.merges(), seconds, images / seconds);
    }

    @Override
    public void close() {
        population.close();
    }
}
