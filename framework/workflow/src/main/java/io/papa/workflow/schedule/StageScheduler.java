package io.papa.workflow.schedule;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.papa.engine.report.ReportWriter;
import io.papa.workflow.WorkflowException;
import io.papa.workflow.session.Session;
import io.papa.workflow.session.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SchedulerFactory;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Runs training stages as Quartz jobs on device slots: one durable job per compute device
 * ({@code cpu}, {@code gpu-0}, ...), one trigger per stage. The caller waits for its stage. The
 * scheduler is a real {@link Scheduler} (RAMJobStore unless the properties say otherwise), started
 * and stopped with the CamelContext as a Camel service, and shared with camel-quartz so that
 * {@code quartz:} routes and stages use one scheduler and one job store.
 *
 * <p>Hand-over: a stage's job data is the run directory and the stage's extent, strings only. The
 * JVM that runs it opens the population from the run directory's latest checkpoint (or finds it in
 * memory), trains, checkpoints, and reports back: in this JVM through the waiting caller's future,
 * from another JVM (a clustered JDBC job store) through {@code <run>/stages/<id>.json}, which the
 * waiting JVM polls; its next step then sees the newer checkpoint and reloads the population.
 */
public final class StageScheduler extends ServiceSupport {

    static final String CONTEXT_KEY = "papa.stages";
    private static final String SLOTS = "papa-slots";
    private static final String STAGES = "papa-stages";
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final ObjectMapper JSON = ReportWriter.json();

    private final Scheduler scheduler;
    private final Sessions sessions;
    private final String node;
    private final Map<String, CompletableFuture<StageRun>> waiting = new ConcurrentHashMap<>();
    private final List<StageRun> history = Collections.synchronizedList(new ArrayList<>());

    /** @param properties Quartz properties over the defaults (a JDBC job store, thread count...) */
    public StageScheduler(Sessions sessions, Properties properties) {
        this.sessions = sessions;
        Properties all = defaults();
        all.putAll(properties);
        try {
            this.scheduler = new StdSchedulerFactory(all).getScheduler();
            this.node = scheduler.getSchedulerName() + "/" + scheduler.getSchedulerInstanceId();
            scheduler.getContext().put(CONTEXT_KEY, this);
        } catch (SchedulerException e) {
            throw new WorkflowException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /**
     * RAMJobStore; four workers, since a {@code quartz:} route runs on a worker while its stages need
     * another; daemon threads, so that a scheduler never keeps a finished JVM alive.
     */
    private static Properties defaults() {
        Properties p = new Properties();
        p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "papa-" + INSTANCES.incrementAndGet());
        p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
        p.setProperty(StdSchedulerFactory.PROP_THREAD_POOL_CLASS, "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty(StdSchedulerFactory.PROP_SCHED_MAKE_SCHEDULER_THREAD_DAEMON, "true");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        return p;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** A factory that hands out this scheduler, for camel-quartz. */
    public SchedulerFactory factory() {
        return new SchedulerFactory() {
            @Override
            public Scheduler getScheduler() {
                return scheduler;
            }

            @Override
            public Scheduler getScheduler(String name) throws SchedulerException {
                return name.equals(scheduler.getSchedulerName()) ? scheduler : null;
            }

            @Override
            public Collection<Scheduler> getAllSchedulers() {
                return List.of(scheduler);
            }
        };
    }

    /** The slot of a compute device: {@code cpu}, {@code gpu-0}, ... */
    public static String slot(Device device) {
        return device.isGpu() ? "gpu-" + device.getDeviceId() : device.getDeviceType();
    }

    /**
     * Submits a stage to its device's slot, to start at {@code startAt} (now when {@code null}), and
     * waits until it has run.
     */
    public StageRun run(Stage stage, String slot, Date startAt) throws InterruptedException {
        JobKey job = JobKey.jobKey(slot, SLOTS);
        CompletableFuture<StageRun> done = new CompletableFuture<>();
        waiting.put(stage.id(), done);
        try {
            synchronized (this) {
                if (!scheduler.checkExists(job)) {
                    scheduler.addJob(JobBuilder.newJob(TrainingStageJob.class).withIdentity(job).storeDurably()
                            .withDescription("training stages on " + slot).build(), true);
                }
            }
            scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(stage.id(), STAGES).forJob(job)
                    .usingJobData(stage.jobData()).startAt(startAt == null ? new Date() : startAt).build());
            return await(stage, done);
        } catch (SchedulerException e) {
            throw new WorkflowException("cannot schedule " + stage.describe() + " on slot " + slot + ": "
                    + e.getMessage(), e);
        } finally {
            waiting.remove(stage.id());
        }
    }

    private StageRun await(Stage stage, CompletableFuture<StageRun> done) throws InterruptedException {
        Path marker = marker(stage.runDirectory(), stage.id());
        while (true) {
            try {
                return done.get(1, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new WorkflowException("stage " + stage.describe() + " failed", e.getCause());
            } catch (TimeoutException e) {
                if (Files.exists(marker)) {
                    return ranElsewhere(stage, marker);
                }
            }
        }
    }

    private static StageRun ranElsewhere(Stage stage, Path marker) {
        try {
            StageRun run = JSON.readValue(marker.toFile(), StageRun.class);
            Files.delete(marker);
            if (run.error() != null) {
                throw new WorkflowException("stage " + stage.describe() + " of " + stage.runDirectory() + " failed on "
                        + run.node() + ": " + run.error());
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marker, e);
        }
    }

    /** Runs a stage on a Quartz worker, in whichever JVM the job store handed it to. */
    void execute(Stage stage, String slot) {
        long started = System.currentTimeMillis();
        int epochs = 0;
        Throwable failure = null;
        try {
            Session session = sessions.open(stage.runDirectory());
            epochs = session.work(experiment -> {
                Sessions.TORCH.lock();
                try {
                    return stage.trainOn(experiment.trainer(), experiment.population().config().epochs());
                } finally {
                    Sessions.TORCH.unlock();
                }
            });
        } catch (RuntimeException | Error e) {
            // the waiting route must hear of any failure, or it would wait for ever
            failure = e;
        }
        StageRun run = new StageRun(stage.id(), slot, stage.runDirectory().toString(), stage.submittedAt(), started,
                System.currentTimeMillis(), epochs, node, failure == null ? null : String.valueOf(failure.getMessage()));
        history.add(run);
        CompletableFuture<StageRun> done = waiting.get(stage.id());
        if (done == null) {
            writeMarker(stage, run);
        } else if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete(run);
        }
    }

    private static void writeMarker(Stage stage, StageRun run) {
        Path marker = marker(stage.runDirectory(), stage.id());
        try {
            Files.createDirectories(marker.getParent());
            ReportWriter.writeAtomically(marker, JSON.writeValueAsBytes(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    private static Path marker(Path runDirectory, String id) {
        return runDirectory.resolve("stages").resolve(id + ".json");
    }

    /** Every stage this JVM ran, in order of completion. */
    public List<StageRun> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    protected void doStart() throws Exception {
        scheduler.start();
    }

    @Override
    protected void doStop() throws Exception {
        scheduler.shutdown(false);
    }
}
