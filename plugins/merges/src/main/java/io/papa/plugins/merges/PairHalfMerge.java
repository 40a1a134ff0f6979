package io.papa.plugins.merges;

import io.papa.api.MergeStrategy;
import org.pf4j.Extension;

/**
 * PAPA-2: each slot becomes the midpoint of a pair of members. With two members both slots get
 * (0,1). From three members on, option {@code pairs} chooses how the n pairs are drawn:
 * <ul>
 *   <li>{@code uniform} (default): n distinct pairs drawn uniformly without replacement from all
 *       C(n,2), in random slot order, so every member is a parent equally often on average;</li>
 *   <li>{@code reference}: what main.py does without {@code --selection}: the first n pairs in
 *       lexicographic order, randomly permuted over the slots. For n = 3 this is the same as uniform;
 *       for n = 5 it is always (0,1) (0,2) (0,3) (0,4) (1,2), so member 0 is a parent of 4 of the 5
 *       children and member 4 of only one.</li>
 * </ul>
 */
@Extension(points = MergeStrategy.class)
public final class PairHalfMerge extends PairMerge {

    public PairHalfMerge() {
        super(0.5);
    }

    @Override
    public String id() {
        return "pair_half";
    }

    @Override
    public String description() {
        return "PAPA-2: each member becomes the 0.5/0.5 average of a randomly drawn pair";
    }
}
