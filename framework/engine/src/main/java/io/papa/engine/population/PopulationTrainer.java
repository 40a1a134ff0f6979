package io.papa.engine.population;

import io.papa.api.MergeStrategy;
import io.papa.engine.eval.Evaluator;
import io.papa.engine.merge.MergeRecord;
import io.papa.engine.merge.MergeRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The training loop with the reference's merge schedule (main.py:199-217):
 * <ul>
 *   <li>step cadence (PAPA): after the optimiser step whose in-epoch index {@code i} satisfies
 *       {@code i % ema_every_k == 0};</li>
 *   <li>epoch cadence (PAPA-all, PAPA-2...): after epoch {@code e} when {@code e % every_k_epochs == 0},
 *       {@code e > 0 || mix_from_start}, {@code range_merge[0]*E <= e+1 <= range_merge[1]*E}, and
 *       {@code e} is not the last epoch (the reference's last-epoch merge is a no-op for avg and
 *       replaces pair children by an unmixed parent; we skip it, see docs);</li>
 *   <li>never for cadence NEVER.</li>
 * </ul>
 */
public final class PopulationTrainer {

    private final Population population;
    private final MergeRunner merges;
    private final TrainingListener listener;
    private final List<EpochRecord> history = new ArrayList<>();
    private final List<MergeRecord> mergeLog = new ArrayList<>();

    public PopulationTrainer(Population population, MergeRunner merges, TrainingListener listener) {
        this.population = population;
        this.merges = merges;
        this.listener = listener;
    }

    /** Epochs completed so far. */
    public int epoch() {
        return (int) (population.step() / population.stepsPerEpoch());
    }

    /**
     * Trains from the current epoch up to (excluding) {@code untilEpoch}, merging on schedule; a merge
     * left pending by a stage (see {@link #trainStage}) runs first.
     */
    public void train(int untilEpoch) {
        mergeIfPending();
        run(untilEpoch, false);
    }

    /**
     * A training stage of a workflow: trains toward {@code untilEpoch} but stops after an epoch whose
     * epoch-cadence merge is due, leaving that merge to {@link #mergeIfPending()} (the workflow's merge
     * step). Step-cadence pulls (PAPA) happen inside, as in {@link #train}. Where a stage ends does not
     * change any number: training is a function of the step count, and merges happen at the schedule's
     * epochs whichever stage reaches them.
     *
     * @return the epochs trained; 0 when a merge is pending
     */
    public int trainStage(int untilEpoch) {
        if (mergePending()) {
            return 0;
        }
        int from = epoch();
        run(untilEpoch, true);
        return epoch() - from;
    }

    private void run(int untilEpoch, boolean stopAtMerge) {
        int total = population.config().epochs();
        if (untilEpoch > total) {
            throw new IllegalArgumentException("cannot train to epoch " + untilEpoch + " of a " + total + "-epoch run");
        }
        listener.onStart(population, epoch(), untilEpoch);
        MergeStrategy.Cadence cadence = merges.strategy().extension().cadence();
        int emaEveryK = population.config().emaEveryK();
        while (epoch() < untilEpoch) {
            int epoch = epoch();
            long started = System.nanoTime();
            double[] lossSum = new double[population.size()];
            int steps = population.stepsPerEpoch();
            long images = 0;
            for (int i = 0; i < steps; i++) {
                float[] losses = population.trainStep();
                for (int k = 0; k < losses.length; k++) {
                    lossSum[k] += losses[k];
                }
                images += (long) population.config().batchSize() * population.size();
                if (cadence == MergeStrategy.Cadence.STEPS && population.size() > 1 && i % emaEveryK == 0) {
                    MergeRecord record = merges.merge(epoch);
                    if (i == 0) {
                        // one per epoch is enough for the log: a gradual run pulls hundreds of times
                        mergeLog.add(record);
                    }
                }
                listener.onStep(epoch, i, losses);
            }
            boolean due = cadence == MergeStrategy.Cadence.EPOCHS && epochMergeDue(epoch);
            boolean pause = due && stopAtMerge;
            if (due && !stopAtMerge) {
                MergeRecord record = merges.merge(epoch);
                mergeLog.add(record);
                listener.onMerge(record);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double[] trainLoss = new double[lossSum.length];
            for (int k = 0; k < lossSum.length; k++) {
                trainLoss[k] = lossSum[k] / steps;
            }
            // a paused epoch is evaluated after its merge, as an uninterrupted run evaluates it
            EpochRecord record = new EpochRecord(epoch, trainLoss, pause ? null : evaluateIfAsked(), due && !pause,
                    seconds, images / seconds);
            history.add(record);
            listener.onEpochEnd(record);
            if (pause) {
                break;
            }
        }
        listener.onFinish();
    }

    private double[] evaluateIfAsked() {
        return population.config().evalEveryEpoch()
                ? Evaluator.evaluate(population.members(), population.testImages(),
                        population.config().evalBatchSize(), population.manager(), population.device()).accuracy()
                : null;
    }

    /**
     * Whether the epoch just completed is an epoch-cadence merge epoch whose merge has not run: a
     * stage stopped there, or a run was checkpointed between its stage and its merge.
     */
    public boolean mergePending() {
        int done = epoch();
        return merges.strategy().extension().cadence() == MergeStrategy.Cadence.EPOCHS
                && done > 0 && population.step() % population.stepsPerEpoch() == 0
                && epochMergeDue(done - 1)
                && mergeLog.stream().noneMatch(m -> m.step() == population.step()
                        && m.strategy().equals(merges.strategy().id()));
    }

    /**
     * Runs the pending merge (see {@link #mergePending()}) and completes the epoch's record with it, as
     * {@link #train} would have; does nothing when no merge is pending, so running it twice is safe.
     */
    public Optional<MergeRecord> mergeIfPending() {
        if (!mergePending()) {
            return Optional.empty();
        }
        EpochRecord last = history.get(history.size() - 1);
        MergeRecord merge = merges.merge(last.epoch());
        mergeLog.add(merge);
        listener.onMerge(merge);
        double seconds = last.seconds() + merge.seconds();
        history.set(history.size() - 1, new EpochRecord(last.epoch(), last.trainLoss(), evaluateIfAsked(), true,
                seconds, last.imagesPerSecond() * last.seconds() / seconds));
        return Optional.of(merge);
    }

    /**
     * The number of completed epochs at which the next epoch-cadence merge is due (the current
     * count when one is pending), or the run's length when no merge is left.
     */
    public int nextMergePoint() {
        if (mergePending()) {
            return epoch();
        }
        int total = population.config().epochs();
        if (merges.strategy().extension().cadence() == MergeStrategy.Cadence.EPOCHS) {
            for (int e = epoch(); e < total; e++) {
                if (epochMergeDue(e)) {
                    return e + 1;
                }
            }
        }
        return total;
    }

    /** Logs an operation on the population beside the merges (a workflow's stand-alone alignment or REPAIR). */
    public void record(MergeRecord operation) {
        mergeLog.add(operation);
    }

    /** Whether the epoch-cadence merge runs after 0-based epoch {@code epoch}. */
    public boolean epochMergeDue(int epoch) {
        var config = population.config();
        int total = config.epochs();
        double fromEpoch = config.rangeMerge().get(0) * total;
        double toEpoch = config.rangeMerge().get(1) * total;
        return population.size() > 1
                && epoch % config.everyKEpochs() == 0
                && (epoch > 0 || config.mixFromStart())
                && fromEpoch <= epoch + 1 && epoch + 1 <= toEpoch
                && epoch < total - 1;
    }

    /** The records of a resumed run's earlier epochs. */
    public void restore(List<EpochRecord> earlierEpochs, List<MergeRecord> earlierMerges) {
        history.clear();
        history.addAll(earlierEpochs);
        mergeLog.clear();
        mergeLog.addAll(earlierMerges);
    }

    public List<EpochRecord> history() {
        return List.copyOf(history);
    }

    public List<MergeRecord> merges() {
        return List.copyOf(mergeLog);
    }
}
