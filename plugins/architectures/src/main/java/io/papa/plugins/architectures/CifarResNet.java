package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR ResNet layout both ResNets share: 3x3 stem conv + BN + ReLU (no max-pool), stages of
 * BasicBlocks whose width doubles and whose first block has stride 2 (except in the first stage),
 * global average pooling and one linear layer. Only the shortcut of a block that changes shape
 * differs between them.
 */
final class CifarResNet {

    /** The shortcut of a block whose stride is not 1 or whose channel count changes. */
    interface Shortcut {
        Block create(int inChannels, int outChannels, int stride);
    }

    private CifarResNet() {}

    static SequentialBlock build(int width, int stages, int blocksPerStage, Shortcut shortcut, int numClasses) {
        SequentialBlock net = new SequentialBlock()
                .add(Layers.conv3x3(width, 1, false)).add(Layers.batchNorm()).add(Layers.relu());
        int channels = width;
        for (int stage = 0; stage < stages; stage++) {
            int filters = width << stage;
            SequentialBlock layer = new SequentialBlock();
            for (int i = 0; i < blocksPerStage; i++) {
                int stride = i == 0 && stage > 0 ? 2 : 1;
                Block skip = stride != 1 || channels != filters ? shortcut.create(channels, filters, stride) : null;
                layer.add(Layers.basicBlock(filters, stride, skip));
                channels = filters;
            }
            net.add(layer);
        }
        return net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(numClasses).build());
    }
}
