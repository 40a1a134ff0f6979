package io.papa.plugins.architectures;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import io.papa.api.nn.Residual;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * torchvision's ResNet-50 (v1.5: the stride sits on the 3x3 conv of a bottleneck), the network of
 * the paper's ImageNet experiments: 7x7/2 stem + BN + ReLU + 3x3/2 max-pool, bottleneck stages
 * [3, 4, 6, 3] of widths 64-512 with expansion 4, 1x1-conv + BN downsample shortcuts, global
 * average pool, one linear layer (25,557,032 parameters for 1000 classes). Parameter names map to
 * torchvision's, so its published weights load by name.
 */
@Extension
public final class Resnet50 implements Architecture {

    static final String ID = "resnet50";
    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int EXPANSION = 4;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "ImageNet ResNet-50 (torchvision v1.5): bottleneck blocks, 25.6M parameters at 1000 classes";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.integer("width", 64,
                "channels of the first stage's bottleneck (64 = torchvision); the others have 2x, 4x, 8x").range(1, 4096));
    }

    @Override
    public Map<String, String> stateDictNames(Block block) {
        return TorchNames.resnet(block, TorchNames.ResNetStyle.TORCHVISION);
    }

    @Override
    public Block build(ImageShape input, int numClasses, Options options) {
        Inputs.requireClasses(ID, numClasses);
        int width = options.getInt("width");
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(7, 7)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(3, 3)).optBias(false).setFilters(width).build())
                .add(Layers.batchNorm()).add(Layers.relu())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int channels = width;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            int planes = width << stage;
            SequentialBlock layer = new SequentialBlock();
            for (int i = 0; i < BLOCKS[stage]; i++) {
                int stride = i == 0 && stage > 0 ? 2 : 1;
                int out = planes * EXPANSION;
                Block shortcut = stride != 1 || channels != out
                        ? new SequentialBlock().add(Layers.conv1x1(out, stride)).add(Layers.batchNorm())
                        : Blocks.identityBlock();
                SequentialBlock main = new SequentialBlock()
                        .add(Layers.conv1x1(planes, 1)).add(Layers.batchNorm()).add(Layers.relu())
                        .add(Layers.conv3x3(planes, stride, false)).add(Layers.batchNorm()).add(Layers.relu())
                        .add(Layers.conv1x1(out, 1)).add(Layers.batchNorm());
                layer.add(new SequentialBlock().add(new Residual(main, shortcut)).add(Layers.relu()));
                channels = out;
            }
            net.add(layer);
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(numClasses).build());
        return TorchInit.torchvisionResNet(net);
    }
}
