package io.papa.engine.population;

import io.papa.engine.merge.MergeRecord;

/** Progress callbacks of a training run (progress bars, logs, checkpoints). */
public interface TrainingListener {

    default void onStart(Population population, int fromEpoch, int toEpoch) {
    }

    default void onStep(int epoch, int stepInEpoch, float[] losses) {
    }

    default void onMerge(MergeRecord merge) {
    }

    default void onEpochEnd(EpochRecord record) {
    }

    default void onFinish() {
    }
}
