package io.papa.api;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** What an aligner works on: the population around one merge and data to measure activations on. */
public interface AlignmentContext {

    Options options();

    int populationSize();

    /** The merge decision; before mixing, aligners may permute members so that these mixtures are better. */
    MixingMatrix mixing();

    /** Member {@code k}: a parent before mixing, the child after mixing. */
    Network member(int k);

    /** After mixing: parent {@code j} as it was before the merge. Before mixing: the same as {@link #member}. */
    Network parent(int j);

    /**
     * {@code count} batches of normalised training images (B, C, H, W) for measuring activations,
     * drawn with member {@code k}'s data order; the same call with the same arguments inside one
     * alignment returns the same images.
     */
    List<NDArray> calibrationBatches(int k, int count);
}
