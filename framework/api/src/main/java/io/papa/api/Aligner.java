package io.papa.api;

/**
 * Works on members around a merge without changing what the merge decided. Before mixing, the
 * members are the parents: permutation alignment permutes hidden units so that the mixtures are
 * better (each member's function is unchanged), and REPAIR measures the parents' activation
 * statistics. After mixing, the members are the children: REPAIR rescales their activations to the
 * mixed parent statistics. The same {@link AlignmentContext} is passed to both calls of one merge,
 * so what {@link #beforeMixing} measures can be kept in {@link AlignmentContext#state()}.
 */
public interface Aligner extends PapaExtension {

    default void beforeMixing(AlignmentContext context) {
    }

    default void afterMixing(AlignmentContext context) {
    }
}
