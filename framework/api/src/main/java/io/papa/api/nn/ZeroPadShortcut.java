package io.papa.api.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The parameter-free "option A" residual shortcut of He et al.'s CIFAR ResNets: keeps every
 * {@code stride}-th row and column ({@code x[:, :, ::s, ::s]}) and zero-pads the channel axis with
 * {@code (outChannels - inChannels) / 2} planes on each side. It is a block of its own, rather than
 * a lambda, so that aligners can recognise it and know that input channel {@code c} becomes output
 * channel {@code c + padding()}.
 */
public final class ZeroPadShortcut extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int outChannels;
    private final int stride;

    public ZeroPadShortcut(int inChannels, int outChannels, int stride) {
        super(VERSION);
        if (inChannels <= 0 || stride <= 0) {
            throw new IllegalArgumentException("channels and stride must be positive, got inChannels="
                    + inChannels + ", stride=" + stride);
        }
        if (outChannels < inChannels || (outChannels - inChannels) % 2 != 0) {
            throw new IllegalArgumentException("zero-pad shortcut needs outChannels >= inChannels with an even"
                    + " difference, got " + inChannels + " -> " + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int stride() {
        return stride;
    }

    /** Zero planes added before (and, equally, after) the input channels. */
    public int padding() {
        return (outChannels - inChannels) / 2;
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        checkInput(inputShapes[0]);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        NDArray sampled = stride == 1 ? x : x.get(new NDIndex(":, :, ::" + stride + ", ::" + stride));
        if (padding() == 0) {
            return new NDList(sampled);
        }
        // pad() lists (before, after) pairs from the last axis backwards: W, H, then C
        int p = padding();
        return new NDList(sampled.pad(new Shape(0, 0, 0, 0, p, p), 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        return new Shape[] {new Shape(in.get(0), outChannels, ceilDiv(in.get(2)), ceilDiv(in.get(3)))};
    }

    private long ceilDiv(long size) {
        return (size + stride - 1) / stride;
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != inChannels) {
            throw new IllegalArgumentException("zero-pad shortcut expects (B, " + inChannels + ", H, W), got " + shape);
        }
    }
}
