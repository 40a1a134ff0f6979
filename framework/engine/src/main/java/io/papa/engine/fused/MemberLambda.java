package io.papa.engine.fused;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A member's parameter-free lambda (ReLU, pooling, flatten...) run on the fused tensor. The lambda is
 * shared, not a child block, so initialising the fused network leaves the member's block untouched.
 * With {@code split}, the lambda turns a member's {@code (B, C, H, W)} into {@code (B, F)}
 * (flatten, global pooling); on the channel-stacked input it gives {@code (B, n*F)} in member-major
 * order, which is viewed as {@code (B, n, F)} for the batched linear layers that follow.
 */
final class MemberLambda extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LambdaBlock lambda;
    private final int members;
    private final boolean split;

    MemberLambda(LambdaBlock lambda, int members, boolean split) {
        super(VERSION);
        this.lambda = lambda;
        this.members = members;
        this.split = split;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // a lambda ignores the training flag; false keeps DJL from initialising the shared block
        NDArray y = lambda.forward(parameterStore, inputs, false, params).singletonOrThrow();
        return new NDList(split ? y.reshape(y.getShape().get(0), members, -1) : y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape out = lambda.getOutputShapes(inputShapes)[0];
        return new Shape[] {split ? new Shape(out.get(0), members, out.get(1) / members) : out};
    }
}
