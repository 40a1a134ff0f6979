package io.papa.plugins.architectures;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.papa.api.nn.Residual;

/** The blocks the architectures are made of: standard DJL blocks configured as in PyTorch, and residual sums. */
final class Layers {

    private Layers() {}

    static Conv2d conv3x3(int filters, int stride, boolean bias) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride)).optBias(bias).setFilters(filters).build();
    }

    static Conv2d conv1x1(int filters, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1))
                .optStride(new Shape(stride, stride)).optBias(false).setFilters(filters).build();
    }

    /** {@code nn.BatchNorm2d} defaults; DJL's momentum weights the old statistics, so 0.9 is torch's 0.1. */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    static Block relu() {
        return Activation.reluBlock();
    }

    static Block maxPool2() {
        return Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    /**
     * BasicBlock: conv3x3-BN-ReLU-conv3x3-BN plus {@code shortcut} ({@code null} for the identity),
     * added, then ReLU. The sum is a {@link Residual} rather than a ParallelBlock so that aligners
     * can see that both branches share one channel permutation.
     */
    static Block basicBlock(int filters, int stride, Block shortcut) {
        SequentialBlock main = new SequentialBlock().addAll(
                conv3x3(filters, stride, false), batchNorm(), relu(),
                conv3x3(filters, 1, false), batchNorm());
        return new SequentialBlock().addAll(new Residual(main, shortcut), relu());
    }
}
