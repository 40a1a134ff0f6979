package io.papa.engine.run;

import io.papa.api.Aligner;
import io.papa.api.MergeStrategy;
import io.papa.api.Options;
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
    private final PopulationTrainer trainer;

    private Experiment(Population population, MergeRunner merges, TrainingListener listener) {
        this.population = population;
        this.merges = merges;
        this.trainer = new PopulationTrainer(population, merges, listener);
    }

    /** Validates the configuration against the plugins, then builds the population. */
    public static Experiment create(PopulationConfig config, PluginHost host, TrainingListener listener) {
        ProvidedExtension<MergeStrategy> strategy = host.find(MergeStrategy.class, config.mergeStrategy());
        Options strategyOptions = Options.resolve("merge strategy '" + strategy.id() + "'",
                strategy.extension().options(), config.mergeOptions());
        List<MergeRunner.ConfiguredAligner> aligners = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> entry : config.aligners().entrySet()) {
            ProvidedExtension<Aligner> aligner = host.find(Aligner.class, entry.getKey());
            aligners.add(new MergeRunner.ConfiguredAligner(aligner, Options.resolve("aligner '" + aligner.id() + "'",
                    aligner.extension().options(), entry.getValue())));
        }
        Population population = Population.create(config, host);
        return new Experiment(population, new MergeRunner(population, strategy, strategyOptions, aligners), listener);
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
        long started = System.nanoTime();
        trainer.train(population.config().epochs());
        double seconds = (System.nanoTime() - started) / 1e9;
        FinalResults results = FinalEvaluation.run(population);
        double images = trainer.history().stream().mapToDouble(e -> e.imagesPerSecond() * e.seconds()).sum();
        List<String> used = new ArrayList<>();
        used.add(merges.strategy().coordinates());
        merges.aligners().forEach(a -> used.add(a.aligner().coordinates()));
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
