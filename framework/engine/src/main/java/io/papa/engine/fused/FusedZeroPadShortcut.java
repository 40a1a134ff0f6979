package io.papa.engine.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.papa.api.nn.ZeroPadShortcut;

/**
 * {@link ZeroPadShortcut} for {@code n} members stacked along channels: subsamples, then pads each
 * member's channel group on its own, so member {@code k}'s input channel {@code c} lands at
 * {@code k * out + padding + c}, exactly where the member's own shortcut puts it within its group.
 */
final class FusedZeroPadShortcut extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int members;
    private final ZeroPadShortcut member;

    FusedZeroPadShortcut(int members, ZeroPadShortcut member) {
        super(VERSION);
        this.members = members;
        this.member = member;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInput(x.getShape());
        int s = member.stride();
        NDArray sampled = s == 1 ? x : x.get(new NDIndex(":, :, ::" + s + ", ::" + s));
        int p = member.padding();
        if (p == 0) {
            return new NDList(sampled);
        }
        Shape shape = sampled.getShape();
        long h = shape.get(2);
        long w = shape.get(3);
        // pad() lists (before, after) pairs from the last axis backwards: W, H, then the member's channels
        NDArray padded = sampled.reshape(shape.get(0), members, member.inChannels(), h, w)
                .pad(new Shape(0, 0, 0, 0, p, p), 0);
        return new NDList(padded.reshape(shape.get(0), (long) members * member.outChannels(), h, w));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        int s = member.stride();
        return new Shape[] {new Shape(in.get(0), (long) members * member.outChannels(), (in.get(2) + s - 1) / s,
                (in.get(3) + s - 1) / s)};
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != (long) members * member.inChannels()) {
            throw new IllegalArgumentException("fused zero-pad shortcut expects (B, " + members + "*"
                    + member.inChannels() + ", H, W), got " + shape);
        }
    }
}
