package io.papa.workflow.session;

import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.run.Experiment;
import io.papa.workflow.WorkflowException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The populations of a workflow by run directory: created (or resumed from the directory's
 * checkpoint) by {@code papa:create}, opened from the files by any other step that finds none in
 * memory.
 */
public final class Sessions implements AutoCloseable {

    /**
     * DJL's gradient collector and torch's seeded initialisation are JVM-global: training stages and
     * population builds take turns, whichever thread (Camel's, Quartz's) runs them.
     */
    public static final ReentrantLock TORCH = new ReentrantLock();

    /** Complete checkpoints kept per run: the one before and the one after a merge. */
    private static final int KEEP = 2;

    private final PluginHost host;
    private final Supplier<TrainingListener> progress;
    private final Map<Path, Session> open = new LinkedHashMap<>();

    /** @param progress a listener per population (a console progress bar, or nothing) */
    public Sessions(PluginHost host, Supplier<TrainingListener> progress) {
        this.host = host;
        this.progress = progress;
    }

    public PluginHost host() {
        return host;
    }

    /**
     * The population of {@code config} in {@code runDirectory}: resumed from its latest checkpoint
     * when there is one (which must have the same configuration), else created and checkpointed at
     * step 0 so that every later step can find it in the files.
     *
     * @param mustResume refuse to start a new run (papa run --resume)
     */
    public Session create(Path runDirectory, PopulationConfig config, boolean mustResume) {
        Session existing;
        synchronized (this) {
            existing = open.get(key(runDirectory));
            if (existing == null) {
                return build(runDirectory, config, mustResume);
            }
        }
        // outside the registry's lock: a stage may be training this population
        if (!existing.work(e -> e.population().config()).equals(config)) {
            throw new WorkflowException(runDirectory + " holds a population with another configuration; use a new"
                    + " output directory, or the same settings to continue it");
        }
        return existing;
    }

    /** Called with the registry's lock held. */
    private Session build(Path runDirectory, PopulationConfig config, boolean mustResume) {
        Path key = key(runDirectory);
        CheckpointStore store = new CheckpointStore(key, KEEP);
        boolean resuming = store.latestName().isPresent();
        if (mustResume && !resuming) {
            throw new WorkflowException("nothing to resume in " + runDirectory + ": it has no checkpoint; run without"
                    + " --resume to start it");
        }
        Experiment experiment;
        TORCH.lock();
        try {
            experiment = Experiment.create(config, host, progress.get());
            try {
                experiment.checkpointInto(store);
                if (!resuming) {
                    experiment.checkpoint("created");
                }
            } catch (RuntimeException e) {
                experiment.close();
                throw e;
            }
        } finally {
            TORCH.unlock();
        }
        Session session = new Session(key, experiment, store, host, progress);
        open.put(key, session);
        return session;
    }

    /** The population of {@code runDirectory}, from memory or from the directory's latest checkpoint. */
    public synchronized Session open(Path runDirectory) {
        Path key = key(runDirectory);
        Session session = open.get(key);
        if (session == null) {
            Experiment experiment;
            TORCH.lock();
            try {
                experiment = Experiment.open(key, host, progress.get());
            } finally {
                TORCH.unlock();
            }
            session = new Session(key, experiment, new CheckpointStore(key, KEEP), host, progress);
            open.put(key, session);
        }
        return session;
    }

    private static Path key(Path runDirectory) {
        return runDirectory.toAbsolutePath().normalize();
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Session::close);
        open.clear();
    }
}
