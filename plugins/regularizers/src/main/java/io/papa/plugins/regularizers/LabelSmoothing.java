package io.papa.plugins.regularizers;

import ai.djl.ndarray.NDArray;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * Label smoothing as timm's {@code mixup_target} builds it: a one-hot target becomes 1 - s + s/K on
 * the label and s/K elsewhere. Applied linearly to the given soft targets, t * (1 - s) + s/K, which
 * is the same thing for one-hot targets; timm smooths before mixing, hence the TARGETS stage.
 */
@Extension
public final class LabelSmoothing implements Regularizer {

    @Override
    public String id() {
        return "label-smoothing";
    }

    @Override
    public String description() {
        return "Label smoothing: targets become t * (1 - s) + s / K";
    }

    @Override
    public Stage stage() {
        return Stage.TARGETS;
    }

    @Override
    public String strengthName() {
        return "smoothing";
    }

    @Override
    public Batch transformBatch(Batch batch, double smoothing, Options options, RandomGenerator random) {
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(id() + ": smoothing must be in [0, 1], got " + smoothing);
        }
        if (!isActive(smoothing)) {
            return batch;
        }
        NDArray targets = batch.targets();
        Checks.targets(id(), targets);
        long classes = targets.getShape().get(1);
        NDArray smoothed = targets.mul(1 - smoothing).addi(smoothing / classes);
        return new Batch(batch.images(), smoothed);
    }
}
