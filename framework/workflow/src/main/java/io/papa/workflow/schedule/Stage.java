package io.papa.workflow.schedule;

import io.papa.engine.population.PopulationTrainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.quartz.JobDataMap;

/**
 * A training stage as Quartz job data: only strings (the run directory and the stage's extent), so
 * that any JVM sharing the job store can run it from the files in the run directory.
 *
 * @param until {@code nextMerge}: to the next epoch-cadence merge point or the end of the run;
 *     {@code end}: the rest of the run, merging on schedule as {@code papa train} does
 * @param epochs when positive, at most this many epochs (never past a due merge)
 * @param submittedAt epoch milliseconds
 */
public record Stage(String id, Path runDirectory, String until, int epochs, long submittedAt) {

    public static final String NEXT_MERGE = "nextMerge";
    public static final String END = "end";

    private static final String ID = "papa.stage";
    private static final String RUN = "papa.runDirectory";
    private static final String UNTIL = "papa.until";
    private static final String EPOCHS = "papa.epochs";
    private static final String SUBMITTED = "papa.submittedAt";

    public static Stage of(Path runDirectory, String until, int epochs) {
        return new Stage("stage-" + UUID.randomUUID(), runDirectory.toAbsolutePath().normalize(), until, epochs,
                System.currentTimeMillis());
    }

    JobDataMap jobData() {
        return new JobDataMap(Map.of(ID, id, RUN, runDirectory.toString(), UNTIL, until, EPOCHS,
                Integer.toString(epochs), SUBMITTED, Long.toString(submittedAt)));
    }

    static Stage from(JobDataMap data) {
        return new Stage(data.getString(ID), Path.of(data.getString(RUN)), data.getString(UNTIL),
                Integer.parseInt(data.getString(EPOCHS)), Long.parseLong(data.getString(SUBMITTED)));
    }

    /** Trains the stage's extent; returns the epochs trained (0 at a pending merge or at the end of the run). */
    public int trainOn(PopulationTrainer trainer, int totalEpochs) {
        int from = trainer.epoch();
        if (until.equals(END)) {
            trainer.train(epochs > 0 ? Math.min(totalEpochs, from + epochs) : totalEpochs);
            return trainer.epoch() - from;
        }
        int target = trainer.nextMergePoint();
        if (epochs > 0) {
            target = Math.min(target, from + epochs);
        }
        return target > from ? trainer.trainStage(target) : 0;
    }

    /** How the stage reads in logs: {@code until=nextMerge}, {@code epochs=3}. */
    public String describe() {
        return epochs > 0 ? "epochs=" + epochs + (until.equals(END) ? ", until=end" : "") : "until=" + until;
    }
}
