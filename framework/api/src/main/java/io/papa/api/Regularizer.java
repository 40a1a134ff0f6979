package io.papa.api;

import ai.djl.ndarray.NDArray;
import java.util.random.RandomGenerator;

/**
 * A data-side regulariser or augmentation with one scalar strength (mixup's alpha, random erasing's
 * probability, the smoothing amount...). Each population member draws its own strength from the
 * user's value lists; a strength for which {@link #isActive} is false leaves the data unchanged.
 * Where it acts is given by {@link #stage()}: per image, or per batch on images and soft targets.
 */
public interface Regularizer extends PapaExtension {

    enum Stage {
        /** One image at a time, raw pixels in [0, 1], before normalisation (crop, flip). */
        RAW_IMAGE,
        /** One image at a time, after normalisation (random erasing writes zeros there). */
        NORMALIZED_IMAGE,
        /** The batch's soft targets, before any mixing (label smoothing). */
        TARGETS,
        /**
         * Images and targets of the whole batch (mixup, CutMix). When several mixing regularisers
         * are active for one member, the engine picks one of them uniformly per batch, which for
         * mixup and CutMix is the reference's switch probability of 0.5.
         */
        MIX
    }

    Stage stage();

    /** Name of the strength parameter, for listings: {@code alpha}, {@code p}, {@code smoothing}. */
    String strengthName();

    default boolean isActive(double strength) {
        return strength > 0;
    }

    /** For the image stages: transforms {@code image} (CHW, {@code shape}) in place. */
    default void transformImage(float[] image, ImageShape shape, double strength, Options options,
            RandomGenerator random) {
        throw new UnsupportedOperationException(id() + " does not act on single images");
    }

    /**
     * For the batch stages: returns the transformed batch. Images are {@code (B, C, H, W)}, targets
     * {@code (B, K)} probabilities. New arrays should be created with the inputs' manager.
     */
    default Batch transformBatch(Batch batch, double strength, Options options, RandomGenerator random) {
        throw new UnsupportedOperationException(id() + " does not act on batches");
    }

    /** Images and soft targets of one batch. */
    record Batch(NDArray images, NDArray targets) {
    }
}
