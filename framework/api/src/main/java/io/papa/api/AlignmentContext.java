package io.papa.api;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * One merge as aligners see it: parents, children and the weights that make each child,
 * {@code child k = sum_j weight(k, j) * parent j}. For a population merge the children replace the
 * parents in place (parents exist before mixing, children after); for a soup the parents are the
 * members and the single child is a separate network.
 */
public interface AlignmentContext {

    /** The aligner's own validated options. */
    Options options();

    int parentCount();

    /**
     * Parent {@code j}. Always available in {@link Aligner#beforeMixing}; after mixing only when the
     * children are separate networks ({@link #parentsSurvive()}).
     */
    Network parent(int j);

    /** Whether parents are still intact after mixing (soups) or were overwritten by the children (merges). */
    boolean parentsSurvive();

    int childCount();

    /** Child {@code k}; only in {@link Aligner#afterMixing}. */
    Network child(int k);

    /** Weight of parent {@code j} in child {@code k}. */
    double weight(int child, int parent);

    /**
     * {@code count} batches of normalised training images (B, C, H, W) without regularisation for
     * measuring activations; within one merge every call returns the same images, so parents and
     * children are measured on the same data.
     */
    List<NDArray> calibrationBatches(int count);

    /** Scratch space shared by both calls of one merge; values that are AutoCloseable are closed after it. */
    Map<String, Object> state();
}
