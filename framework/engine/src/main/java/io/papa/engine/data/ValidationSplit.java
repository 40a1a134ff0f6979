package io.papa.engine.data;

import io.papa.api.LabeledImages;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Holds out {@code floor(fraction * N)} training images as the validation set, with a fixed split
 * seed independent of the run seed (the reference uses 666), so every run and every member sees the
 * same split. Validation images are read without augmentation (the reference still applies random
 * flips and crops to them, making greedy-soup decisions noisy; we keep them deterministic).
 */
public record ValidationSplit(LabeledImages train, LabeledImages validation) {

    public static final long SPLIT_SEED = 666;

    public static ValidationSplit of(LabeledImages all, double fraction) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        }
        int n = all.size();
        int held = (int) Math.floor(fraction * n);
        int[] order = TrainingStream.permutation(n, new SplittableRandom(SPLIT_SEED));
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new ValidationSplit(all.subset(train), held == 0 ? null : all.subset(validation));
    }
}
