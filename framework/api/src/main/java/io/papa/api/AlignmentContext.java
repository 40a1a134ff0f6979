package io.papa.api;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/** What an aligner works on: the population around one merge and data to measure activations on. */
public interface AlignmentContext {

    /** The aligner's own validated options. */
    Options options();

    int populationSize();

    /** The merge decision: child k = sum_j weight(k, j) * parent j. */
    MixingMatrix mixing();

    /** Member {@code k}: a parent in {@link Aligner#beforeMixing}, the child in {@link Aligner#afterMixing}. */
    Network member(int k);

    /**
     * {@code count} batches of normalised training images (B, C, H, W) without regularisation for
     * measuring activations, always the same images within one merge so parents and children are
     * compared on the same data.
     */
    List<NDArray> calibrationBatches(int count);

    /** Scratch space shared by both calls of one merge; arrays put here are closed after the merge. */
    Map<String, Object> state();
}
