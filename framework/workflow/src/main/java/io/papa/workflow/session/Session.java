package io.papa.workflow.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.report.ReportWriter;
import io.papa.engine.run.Experiment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One population of a workflow, by run directory. Steps run one at a time ({@link #work}); before
 * each, the session checks that the directory's latest checkpoint is the one it last wrote or read,
 * and reloads the population from it when another process moved the run on (a stage that ran in
 * another JVM, a later {@code papa run}). The population's state is in the files, not in this object.
 */
public final class Session implements AutoCloseable {

    private static final String EVALUATION = "evaluation.json";
    private static final ObjectMapper JSON = ReportWriter.json();

    /** An evaluation with the checkpoint it was made from, as saved beside the checkpoints. */
    record SavedEvaluation(String checkpoint, Experiment.Evaluation evaluation) {
    }

    private final Path directory;
    private final CheckpointStore store;
    private final PluginHost host;
    private final Supplier<TrainingListener> progress;
    private final ReentrantLock lock = new ReentrantLock();
    private Experiment experiment;
    private String seen;
    private int idleStages;

    Session(Path directory, Experiment experiment, CheckpointStore store, PluginHost host,
            Supplier<TrainingListener> progress) {
        this.directory = directory;
        this.experiment = experiment;
        this.store = store;
        this.host = host;
        this.progress = progress;
        this.seen = store.latestName().orElse(null);
    }

    public Path directory() {
        return directory;
    }

    /** Runs one step on the population, reloading it first when the files moved on without this JVM. */
    public <T> T work(Function<Experiment, T> step) {
        lock.lock();
        try {
            if (!Objects.equals(store.latestName().orElse(null), seen)) {
                reload();
            }
            T result = step.apply(experiment);
            seen = store.latestName().orElse(null);
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void reload() {
        Sessions.TORCH.lock();
        try {
            experiment.close();
            experiment = Experiment.open(directory, host, progress.get());
            idleStages = 0;
        } finally {
            Sessions.TORCH.unlock();
        }
    }

    /**
     * Counts a training stage that trained nothing because a merge was pending. Once is a resumed
     * route arriving at its merge point; twice in a row means the route never merges.
     *
     * @return how many such stages came in a row
     */
    public int idleStage(boolean idle) {
        idleStages = idle ? idleStages + 1 : 0;
        return idleStages;
    }

    /** Keeps an evaluation for the report, in {@code evaluation.json} too, so that another process can report it. */
    public void saveEvaluation(Experiment.Evaluation evaluation) {
        try {
            ReportWriter.writeAtomically(directory.resolve(EVALUATION),
                    JSON.writeValueAsBytes(new SavedEvaluation(store.latestName().orElse(null), evaluation)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory.resolve(EVALUATION), e);
        }
    }

    /** The evaluation made from the current checkpoint, if any. */
    public Optional<Experiment.Evaluation> evaluation() {
        Path file = directory.resolve(EVALUATION);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            SavedEvaluation saved = JSON.readValue(file.toFile(), SavedEvaluation.class);
            return Objects.equals(saved.checkpoint(), store.latestName().orElse(null))
                    ? Optional.of(saved.evaluation()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            experiment.close();
        } finally {
            lock.unlock();
        }
    }
}
