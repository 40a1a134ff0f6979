package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import io.papa.api.Aligner;
import io.papa.api.AlignmentContext;
import io.papa.api.Network;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.List;
import java.util.SplittableRandom;
import org.pf4j.Extension;

/**
 * Permutation alignment before mixing (the reference's {@code --permutation}, generalised to every
 * network built from the supported blocks): each parent other than the anchor has its hidden units
 * permuted, in place, to match the anchor's, so that averaging combines corresponding units. A
 * parent's function is unchanged. The permutation spaces are derived from the block graph
 * ({@link ChannelSpaces}); the matching is by activations (the reference) or by weights (Git Re-Basin).
 */
@Extension
public final class PermutationAlignment implements Aligner {

    static final String ID = "permutation";

    /** Seeds the weight-matching sweep order, so that a merge is repeatable. */
    private static final long SEED = 0x5045524DL;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Permutes each parent's hidden units to match an anchor parent before mixing (activation or weight matching)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.choice("method", "activation", "activation: correlation of channel activations on"
                        + " calibration images (the reference); weight: Git Re-Basin weight matching",
                        "activation", "weight"),
                OptionSpec.integer("batches", 50, "calibration batches for activation matching (the reference uses"
                        + " the whole epoch)").range(1, 1_000_000),
                OptionSpec.integer("max_iter", 100, "weight matching: most sweeps over all spaces").range(1, 1_000_000),
                OptionSpec.choice("anchor", "first", "the parent the others are aligned to: first (parent 0, as the"
                        + " reference) or heaviest (largest total mixing weight)", "first", "heaviest"));
    }

    @Override
    public void beforeMixing(AlignmentContext context) {
        if (context.parentCount() < 2) {
            return;
        }
        Options options = context.options();
        int anchorIndex = anchor(context, options.getString("anchor"));
        Network anchor = context.parent(anchorIndex);
        ChannelSpaces spaces = ChannelSpaces.derive(anchor, anchor.block().getInputShapes()[0]);
        boolean byActivation = options.getString("method").equals("activation");
        List<NDArray> batches = byActivation ? context.calibrationBatches(options.getInt("batches")) : List.of();
        for (int j = 0; j < context.parentCount(); j++) {
            if (j == anchorIndex) {
                continue;
            }
            Network parent = context.parent(j);
            requireSameShapes(spaces, anchor, parent, j);
            SpacePermutation permutation = byActivation
                    ? ActivationMatching.align(spaces, anchor, parent, batches)
                    : WeightMatching.align(spaces, anchor, parent, options.getInt("max_iter"),
                            new SplittableRandom(SEED + j));
            permutation.apply(parent);
        }
    }

    /** Parent 0, or the parent with the largest total weight over the children (the first of equals). */
    static int anchor(AlignmentContext context, String rule) {
        if (rule.equals("first")) {
            return 0;
        }
        int best = 0;
        double bestWeight = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < context.parentCount(); j++) {
            double total = 0;
            for (int k = 0; k < context.childCount(); k++) {
                total += context.weight(k, j);
            }
            if (total > bestWeight) {
                best = j;
                bestWeight = total;
            }
        }
        return best;
    }

    private static void requireSameShapes(ChannelSpaces spaces, Network anchor, Network parent, int index) {
        for (String name : spaces.byParameter().keySet()) {
            var expected = SpacePermutation.parameter(anchor, name).getArray().getShape();
            var actual = SpacePermutation.parameter(parent, name).getArray().getShape();
            if (!expected.equals(actual)) {
                throw new IllegalArgumentException("parent " + index + " differs from the anchor: parameter '" + name
                        + "' is " + actual + ", not " + expected);
            }
        }
    }
}
