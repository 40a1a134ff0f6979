package io.papa.api.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code main(x) + shortcut(x)}: a residual join that aligners recognise (a DJL ParallelBlock hides
 * its join function, so an aligner could not tell a sum, whose branches must share one channel
 * permutation, from a concatenation). The activation after the join, if any, is the next block.
 */
public final class Residual extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block main;
    private final Block shortcut;

    /** @param shortcut the skip branch; {@code null} for the identity */
    public Residual(Block main, Block shortcut) {
        super(VERSION);
        this.main = addChildBlock("main", main);
        this.shortcut = addChildBlock("shortcut", shortcut == null ? Blocks.identityBlock() : shortcut);
    }

    public Block main() {
        return main;
    }

    public Block shortcut() {
        return shortcut;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList a = main.forward(parameterStore, inputs, training, params);
        NDList b = shortcut.forward(parameterStore, inputs, training, params);
        return new NDList(a.singletonOrThrow().add(b.singletonOrThrow()));
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        main.initialize(manager, dataType, inputShapes);
        shortcut.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] a = main.getOutputShapes(inputShapes);
        Shape[] b = shortcut.getOutputShapes(inputShapes);
        if (!a[0].equals(b[0])) {
            throw new IllegalArgumentException("residual branches disagree: main gives " + a[0] + ", shortcut " + b[0]);
        }
        return a;
    }
}
