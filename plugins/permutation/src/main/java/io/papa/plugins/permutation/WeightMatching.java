package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.papa.api.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Weight matching (Git Re-Basin, Ainsworth et al. 2023): coordinate descent over the spaces, each
 * step choosing one space's permutation to maximise {@code sum <W_anchor, P W_parent Q^T>} over
 * every parameter touching it, with the other spaces' current permutations applied to the parent's
 * other axes. Every step solves its subproblem exactly, so the objective never decreases; sweeps in
 * a random order stop when none improves it.
 */
final class WeightMatching {

    /** Relative gain below which a step counts as no improvement, so float noise cannot cycle. */
    private static final double TOLERANCE = 1e-12;

    private WeightMatching() {
    }

    static SpacePermutation align(ChannelSpaces spaces, Network anchor, Network parent, int maxIter,
            RandomGenerator random) {
        SpacePermutation permutation = SpacePermutation.identity(spaces);
        List<ChannelSpaces.Space> order = new ArrayList<>();
        for (ChannelSpaces.Space space : spaces.permutable()) {
            if (space.free().length > 1) {
                order.add(space);
            }
        }
        for (int sweep = 0; sweep < maxIter && !order.isEmpty(); sweep++) {
            shuffle(order, random);
            boolean improved = false;
            for (ChannelSpaces.Space space : order) {
                double[][] gain = gain(spaces, space.index(), anchor, parent, permutation);
                int[] current = permutation.free(space.index());
                int[] best = SpacePermutation.bestFree(space, gain);
                double before = SpacePermutation.score(space, gain, current);
                double after = SpacePermutation.score(space, gain, best);
                if (after - before > TOLERANCE * Math.max(1, Math.abs(before))) {
                    permutation.setFree(space.index(), best);
                    improved = true;
                }
            }
            if (!improved) {
                break;
            }
        }
        return permutation;
    }

    private static <T> void shuffle(List<T> list, RandomGenerator random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /**
     * {@code gain[i][j]}: the inner product, summed over every parameter axis the space's channels
     * index (its own and those of spaces tied to it), of the anchor's slice {@code i} with the parent's
     * slice {@code j}, the parent's other axes permuted as currently chosen.
     */
    static double[][] gain(ChannelSpaces spaces, int space, Network anchor, Network parent,
            SpacePermutation permutation) {
        int n = spaces.get(space).size();
        double[][] gain = new double[n][n];
        for (ChannelSpaces.View view : spaces.views(space)) {
            for (ChannelSpaces.AxisUse use : spaces.get(view.space()).uses()) {
                NDArray a = SpacePermutation.parameter(anchor, use.parameter()).getArray();
                NDArray b = SpacePermutation.parameter(parent, use.parameter()).getArray();
                try (NDManager scope = a.getManager().newSubManager()) {
                    NDArray other = b;
                    for (ChannelSpaces.ParameterUse otherUse : spaces.byParameter().get(use.parameter())) {
                        if (otherUse.axis() != use.axis()) {
                            other = SpacePermutation.gather(other, otherUse.axis(),
                                    SpacePermutation.expand(permutation.full(otherUse.space()), otherUse.block()), scope);
                        }
                    }
                    long start = (long) view.offset() * use.block();
                    long length = (long) n * use.block();
                    NDArray rowsA = slices(a, use.axis(), start, length, n, scope);
                    NDArray rowsB = slices(other, use.axis(), start, length, n, scope);
                    double[] product = rowsA.matMul(rowsB.transpose()).toDoubleArray();
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            gain[i][j] += product[i * n + j];
                        }
                    }
                }
            }
        }
        return gain;
    }

    /** Entries {@code [start, start + length)} of {@code axis} as {@code n} float64 rows, one per channel. */
    private static NDArray slices(NDArray x, int axis, long start, long length, int n, NDManager scope) {
        NDArray moved = x.swapAxes(0, axis);
        moved.attach(scope);
        return moved.get(new NDIndex().addSliceDim(start, start + length)).reshape(n, -1).toType(DataType.FLOAT64, false);
    }
}
