package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import io.papa.api.Network;
import java.util.List;
import java.util.Map;

/**
 * One permutation per space of a network, stored as the choice over the space's free positions;
 * tied positions follow their source. {@code full(s)[i]} is the position whose unit moves to
 * position {@code i}: the permuted network's channel {@code i} is the original's channel
 * {@code full(s)[i]}.
 */
final class SpacePermutation {

    private final ChannelSpaces spaces;
    private final int[][] free;

    private SpacePermutation(ChannelSpaces spaces) {
        this.spaces = spaces;
        this.free = new int[spaces.all().size()][];
        for (ChannelSpaces.Space space : spaces.all()) {
            free[space.index()] = identity(space.free().length);
        }
    }

    static SpacePermutation identity(ChannelSpaces spaces) {
        return new SpacePermutation(spaces);
    }

    /** The choice over free positions: free position {@code k} takes the unit of free position {@code choice[k]}. */
    int[] free(int space) {
        return free[space].clone();
    }

    void setFree(int space, int[] choice) {
        ChannelSpaces.Space s = spaces.get(space);
        if (choice.length != s.free().length || !isPermutation(choice)) {
            throw new IllegalArgumentException("not a permutation of the " + s.free().length + " free positions of " + s);
        }
        if (s.frozen() && !isIdentity(choice)) {
            throw new IllegalArgumentException("cannot permute frozen " + s);
        }
        free[space] = choice.clone();
    }

    int[] full(int space) {
        ChannelSpaces.Space s = spaces.get(space);
        int[] perm = new int[s.size()];
        for (ChannelSpaces.Tie tie : s.ties()) {
            int[] source = full(tie.source());
            for (int c = 0; c < source.length; c++) {
                perm[tie.offset() + c] = tie.offset() + source[c];
            }
        }
        int[] positions = s.free();
        for (int k = 0; k < positions.length; k++) {
            perm[positions[k]] = positions[free[space][k]];
        }
        return perm;
    }

    /** Permutes {@code network}'s parameters in place: every holder of the arrays sees the permuted values. */
    void apply(Network network) {
        int[][] perms = new int[spaces.all().size()][];
        for (ChannelSpaces.Space space : spaces.all()) {
            perms[space.index()] = full(space.index());
        }
        for (Map.Entry<String, List<ChannelSpaces.ParameterUse>> entry : spaces.byParameter().entrySet()) {
            List<ChannelSpaces.ParameterUse> moved = entry.getValue().stream()
                    .filter(use -> !isIdentity(perms[use.space()])).toList();
            if (moved.isEmpty()) {
                continue;
            }
            NDArray array = parameter(network, entry.getKey()).getArray();
            try (NDManager scope = array.getManager().newSubManager()) {
                NDArray value = array;
                for (ChannelSpaces.ParameterUse use : moved) {
                    value = gather(value, use.axis(), expand(perms[use.space()], use.block()), scope);
                }
                array.set(new NDIndex("..."), value);
            }
        }
    }

    /**
     * The choice over {@code space}'s free positions maximising {@code sum_k cost[f_k][f_choice(k)]},
     * where {@code cost[i][j]} is the gain of giving position {@code i} the unit now at {@code j}.
     * Identity when a cost is not finite (a diverged network), as the reference falls back to.
     */
    static int[] bestFree(ChannelSpaces.Space space, double[][] cost) {
        int[] positions = space.free();
        double[][] restricted = new double[positions.length][positions.length];
        for (int a = 0; a < positions.length; a++) {
            for (int b = 0; b < positions.length; b++) {
                restricted[a][b] = cost[positions[a]][positions[b]];
                if (!Double.isFinite(restricted[a][b])) {
                    return identity(positions.length);
                }
            }
        }
        return Lap.maximize(restricted);
    }

    /** {@code sum_k cost[f_k][f_choice(k)]}: the part of the objective that a free choice controls. */
    static double score(ChannelSpaces.Space space, double[][] cost, int[] choice) {
        int[] positions = space.free();
        double total = 0;
        for (int k = 0; k < positions.length; k++) {
            total += cost[positions[k]][positions[choice[k]]];
        }
        return total;
    }

    static Parameter parameter(Network network, String name) {
        Parameter parameter = network.parameters().get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("networks differ: parameter '" + name + "' is missing");
        }
        return parameter;
    }

    /** {@code x} with axis {@code axis} reordered so that entry {@code i} is the old entry {@code index[i]}. */
    static NDArray gather(NDArray x, int axis, long[] index, NDManager scope) {
        NDArray indices = scope.create(index).toDevice(x.getDevice(), false);
        NDArray out = x.get(new NDIndex(":, ".repeat(axis) + "{}", indices));
        out.attach(scope);
        return out;
    }

    /** A channel permutation as a permutation of features laid out {@code block} per channel. */
    static long[] expand(int[] perm, int block) {
        long[] index = new long[perm.length * block];
        for (int c = 0; c < perm.length; c++) {
            for (int k = 0; k < block; k++) {
                index[c * block + k] = (long) perm[c] * block + k;
            }
        }
        return index;
    }

    static int[] identity(int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        return perm;
    }

    static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPermutation(int[] perm) {
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            if (p < 0 || p >= perm.length || seen[p]) {
                return false;
            }
            seen[p] = true;
        }
        return true;
    }
}
