package io.papa.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * Runs a network's forward pass block by block so that aligners can read, or replace, the output of
 * every leaf block (a convolution, a BatchNorm...). It descends into {@link SequentialBlock}s and
 * {@link Residual}s and treats every other block as a leaf, so the result equals
 * {@code block.forward} for networks built from those. Leaves are visited in execution order with
 * a path such as {@code 02SequentialBlock/01Residual/main/01Conv2d}.
 *
 * <p>{@link #runReleasing} is the same pass for training and evaluation: it closes each intermediate
 * array as soon as the blocks that read it have run. A DJL array otherwise holds its tensor until its
 * manager closes, so every activation of the pass would stay in memory until after the backward;
 * PyTorch frees a tensor when nothing references it, and autograd keeps its own references to what
 * the backward needs, so closing our handle early frees exactly what PyTorch would free.
 */
public final class Forward {

    /** Sees each leaf's output; returns it, or a replacement that flows on in its place. */
    @FunctionalInterface
    public interface Tap {
        NDArray leaf(String path, Block leaf, NDArray input, NDArray output);
    }

    private Forward() {
    }

    public static NDArray run(Block block, ParameterStore store, NDArray input, boolean training, Tap tap) {
        return visit("", block, store, input, training, tap, false);
    }

    /** The network's output, with every intermediate array closed once consumed; {@code input} stays open. */
    public static NDArray runReleasing(Block block, ParameterStore store, NDArray input, boolean training) {
        return visit("", block, store, input, training, (path, leaf, in, out) -> out, true);
    }

    private static NDArray visit(String path, Block block, ParameterStore store, NDArray x, boolean training, Tap tap,
            boolean release) {
        if (block instanceof SequentialBlock sequential) {
            NDArray current = x;
            for (var child : sequential.getChildren()) {
                NDArray next = visit(join(path, child.getKey()), child.getValue(), store, current, training, tap,
                        release);
                // x belongs to the caller; a block may pass its input through unchanged
                if (release && current != x && next != current) {
                    current.close();
                }
                current = next;
            }
            return current;
        }
        if (block instanceof Residual residual) {
            NDArray a = visit(join(path, "main"), residual.main(), store, x, training, tap, release);
            NDArray b = visit(join(path, "shortcut"), residual.shortcut(), store, x, training, tap, release);
            NDArray sum = a.add(b);
            if (release) {
                if (a != x) {
                    a.close();
                }
                if (b != x && b != a) {
                    b.close();
                }
            }
            return sum;
        }
        NDArray out = block.forward(store, new NDList(x), training).singletonOrThrow();
        return tap.leaf(path, block, x, out);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }
}
