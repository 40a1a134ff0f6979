package io.papa.plugins.merges;

import io.papa.api.MergeStrategy;
import org.pf4j.Extension;

/**
 * The reference's {@code pair_75}: pairs are drawn as for {@link PairHalfMerge} (same {@code pairs}
 * option), and each slot becomes 0.75 of one parent plus 0.25 of the other. Which parent is heavy
 * is a fair coin per slot, as the reference picks interp or interp2 with random.randint(0,1).
 */
@Extension(points = MergeStrategy.class)
public final class Pair75Merge extends PairMerge {

    public Pair75Merge() {
        super(0.75);
    }

    @Override
    public String id() {
        return "pair_75";
    }

    @Override
    public String description() {
        return "reference's pair_75: each member becomes 0.75/0.25 of a randomly drawn pair,"
                + " heavier parent by coin flip";
    }
}
