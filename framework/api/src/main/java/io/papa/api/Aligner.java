package io.papa.api;

/**
 * Changes members around a merge without changing what the merge decided: permutation alignment
 * (before mixing, each member's hidden units are permuted to match its partners; the function is
 * unchanged) or statistics corrections such as REPAIR (after mixing).
 */
public interface Aligner extends PapaExtension {

    enum Phase {
        BEFORE_MIXING,
        AFTER_MIXING
    }

    Phase phase();

    void align(AlignmentContext context);
}
