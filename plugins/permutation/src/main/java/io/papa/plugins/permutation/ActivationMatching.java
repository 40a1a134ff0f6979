package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.papa.api.Network;
import io.papa.api.nn.Residual;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activation matching as in the reference (REPAIR's correlation matching): for every space, the
 * correlation between each anchor channel and each parent channel over calibration images, in eval
 * mode, summed over every leaf whose output lies in the space; then the assignment of maximal total
 * correlation.
 *
 * <p>The reference measures layer after layer on a parent already permuted up to that layer. The
 * permutations of the other spaces leave every activation of a space unchanged (that is what makes
 * them function-preserving), so measuring all spaces in one pass over the unpermuted parent gives the
 * same matrices and the same permutations at a fraction of the cost.
 */
final class ActivationMatching {

    /** Added to {@code std_a * std_b} as in the reference, so dead channels correlate 0 with everything. */
    private static final double EPSILON = 1e-4;

    private ActivationMatching() {
    }

    static SpacePermutation align(ChannelSpaces spaces, Network anchor, Network parent, List<NDArray> batches) {
        double[][][] own = correlations(spaces, anchor, parent, batches);
        SpacePermutation permutation = SpacePermutation.identity(spaces);
        for (ChannelSpaces.Space space : spaces.permutable()) {
            permutation.setFree(space.index(), SpacePermutation.bestFree(space, viewCost(spaces, space.index(), own)));
        }
        return permutation;
    }

    /**
     * For every space (null for frozen ones), {@code corr[i][j]} between the anchor's channel {@code i}
     * and the parent's channel {@code j}, summed over the space's taps.
     */
    static double[][][] correlations(ChannelSpaces spaces, Network anchor, Network parent, List<NDArray> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("activation matching needs at least one calibration batch");
        }
        double[][][] own = new double[spaces.all().size()][][];
        try (NDManager accumulators = batches.get(0).getManager().newSubManager()) {
            Map<String, Moments> taps = new HashMap<>();
            Map<String, Integer> tapSpace = new HashMap<>();
            for (ChannelSpaces.Space space : spaces.permutable()) {
                own[space.index()] = new double[space.size()][space.size()];
                for (ChannelSpaces.Tap tap : space.taps()) {
                    taps.put(tap.path(), new Moments(space.size(), accumulators));
                    tapSpace.put(tap.path(), space.index());
                }
            }
            Pass pass = new Pass(taps, new ParameterStore(accumulators, false), new ParameterStore(accumulators, false));
            for (NDArray batch : batches) {
                try (NDManager scope = accumulators.newSubManager()) {
                    pass.run(anchor.block(), parent.block(), batch, scope);
                }
            }
            for (Map.Entry<String, Moments> tap : taps.entrySet()) {
                double[][] target = own[tapSpace.get(tap.getKey())];
                double[][] corr = tap.getValue().correlation();
                for (int i = 0; i < corr.length; i++) {
                    for (int j = 0; j < corr.length; j++) {
                        target[i][j] += corr[i][j];
                    }
                }
            }
        }
        return own;
    }

    /** A space's own matrix plus, for every space tied to it, that space's block at the tie's offset. */
    static double[][] viewCost(ChannelSpaces spaces, int space, double[][][] own) {
        int n = spaces.get(space).size();
        double[][] cost = new double[n][n];
        for (ChannelSpaces.View view : spaces.views(space)) {
            double[][] part = own[view.space()];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    cost[i][j] += part[view.offset() + i][view.offset() + j];
                }
            }
        }
        return cost;
    }

    /** Float64 sums over samples and positions of one tap: first and second moments and the cross product. */
    private static final class Moments {
        private final int channels;
        private final NDArray sumA;
        private final NDArray sumB;
        private final NDArray squaresA;
        private final NDArray squaresB;
        private final NDArray cross;
        private long count;

        Moments(int channels, NDManager manager) {
            this.channels = channels;
            sumA = manager.zeros(new Shape(channels), DataType.FLOAT64);
            sumB = manager.zeros(new Shape(channels), DataType.FLOAT64);
            squaresA = manager.zeros(new Shape(channels), DataType.FLOAT64);
            squaresB = manager.zeros(new Shape(channels), DataType.FLOAT64);
            cross = manager.zeros(new Shape(channels, channels), DataType.FLOAT64);
        }

        void add(NDArray outA, NDArray outB, NDManager scope) {
            try (NDManager local = scope.newSubManager()) {
                NDArray a = samples(outA, local);
                NDArray b = samples(outB, local);
                sumA.addi(a.sum(new int[] {1}));
                sumB.addi(b.sum(new int[] {1}));
                squaresA.addi(a.square().sum(new int[] {1}));
                squaresB.addi(b.square().sum(new int[] {1}));
                cross.addi(a.matMul(b.transpose()));
                count += a.getShape().get(1);
            }
        }

        /** (batch, channels * block, ...) as (channels, samples) in float64, every feature of a channel a sample. */
        private NDArray samples(NDArray out, NDManager local) {
            NDArray grouped = out.reshape(out.getShape().get(0), channels, -1);
            grouped.attach(local);
            return grouped.transpose(1, 0, 2).reshape(channels, -1).toType(DataType.FLOAT64, false);
        }

        double[][] correlation() {
            double[] meanA = divide(sumA.toDoubleArray());
            double[] meanB = divide(sumB.toDoubleArray());
            double[] stdA = std(divide(squaresA.toDoubleArray()), meanA);
            double[] stdB = std(divide(squaresB.toDoubleArray()), meanB);
            double[] outer = divide(cross.toDoubleArray());
            double[][] corr = new double[channels][channels];
            for (int i = 0; i < channels; i++) {
                for (int j = 0; j < channels; j++) {
                    double cov = outer[i * channels + j] - meanA[i] * meanB[j];
                    corr[i][j] = cov / (stdA[i] * stdB[j] + EPSILON);
                }
            }
            return corr;
        }

        private double[] divide(double[] sums) {
            for (int i = 0; i < sums.length; i++) {
                sums[i] /= count;
            }
            return sums;
        }

        private static double[] std(double[] meanSquares, double[] mean) {
            double[] std = new double[mean.length];
            for (int i = 0; i < mean.length; i++) {
                // E[x^2] - E[x]^2 may round below zero for a constant channel
                std[i] = Math.sqrt(Math.max(0, meanSquares[i] - mean[i] * mean[i]));
            }
            return std;
        }
    }

    /**
     * The two networks' forward passes in lockstep, block by block as {@link io.papa.api.nn.Forward}
     * runs them, so that each leaf's pair of outputs is measured and released at once: holding every
     * leaf output of one network for the other would take gigabytes on ResNet-18.
     */
    private static final class Pass {
        private final Map<String, Moments> taps;
        private final ParameterStore storeA;
        private final ParameterStore storeB;
        /** Arrays still needed: the batch, and residual inputs until both branches have run. */
        private final Map<NDArray, Integer> held = new IdentityHashMap<>();
        private NDManager scope;

        Pass(Map<String, Moments> taps, ParameterStore storeA, ParameterStore storeB) {
            this.taps = taps;
            this.storeA = storeA;
            this.storeB = storeB;
        }

        void run(Block a, Block b, NDArray batch, NDManager batchScope) {
            scope = batchScope;
            hold(batch);
            visit("", a, b, batch, batch);
            held.clear();
        }

        private NDArray[] visit(String path, Block a, Block b, NDArray xa, NDArray xb) {
            if (a.getClass() != b.getClass()) {
                throw new IllegalArgumentException("networks differ at '" + path + "': " + a.getClass().getName()
                        + " and " + b.getClass().getName());
            }
            if (a instanceof SequentialBlock) {
                PairList<String, Block> childrenA = a.getChildren();
                PairList<String, Block> childrenB = b.getChildren();
                if (childrenA.size() != childrenB.size()) {
                    throw new IllegalArgumentException("networks differ at '" + path + "': " + childrenA.size()
                            + " and " + childrenB.size() + " children");
                }
                NDArray[] current = {xa, xb};
                for (int i = 0; i < childrenA.size(); i++) {
                    current = visit(join(path, childrenA.keyAt(i)), childrenA.valueAt(i), childrenB.valueAt(i),
                            current[0], current[1]);
                }
                return current;
            }
            if (a instanceof Residual residualA) {
                Residual residualB = (Residual) b;
                hold(xa);
                hold(xb);
                NDArray[] main = visit(join(path, "main"), residualA.main(), residualB.main(), xa, xb);
                NDArray[] shortcut = visit(join(path, "shortcut"), residualA.shortcut(), residualB.shortcut(), xa, xb);
                unhold(xa);
                unhold(xb);
                NDArray sumA = main[0].add(shortcut[0]);
                NDArray sumB = main[1].add(shortcut[1]);
                sumA.attach(scope);
                sumB.attach(scope);
                release(main[0], shortcut[0], xa);
                release(main[1], shortcut[1], xb);
                return new NDArray[] {sumA, sumB};
            }
            NDArray outA = leaf(a, storeA, xa);
            NDArray outB = leaf(b, storeB, xb);
            Moments moments = taps.get(path);
            if (moments != null) {
                moments.add(outA, outB, scope);
            }
            if (outA != xa) {
                release(xa);
            }
            if (outB != xb) {
                release(xb);
            }
            return new NDArray[] {outA, outB};
        }

        private NDArray leaf(Block block, ParameterStore store, NDArray x) {
            NDArray out = block.forward(store, new NDList(x), false).singletonOrThrow();
            if (out != x) {
                out.attach(scope);
            }
            return out;
        }

        private void hold(NDArray x) {
            held.merge(x, 1, Integer::sum);
        }

        private void unhold(NDArray x) {
            held.merge(x, -1, (count, minus) -> count == 1 ? null : count - 1);
        }

        /** Closes arrays nothing needs any more; an array may be listed twice (identity branches). */
        private void release(NDArray... arrays) {
            Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (NDArray x : arrays) {
                if (seen.add(x) && !held.containsKey(x)) {
                    x.close();
                }
            }
        }

        private static String join(String path, String name) {
            return path.isEmpty() ? name : path + "/" + name;
        }
    }
}
