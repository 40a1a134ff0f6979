package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The PAPA paper's CIFAR ResNet-18 (kuangliu pytorch-cifar): 3x3 stem without max-pool, four stages
 * of two BasicBlocks with 1x1-conv + BN projection shortcuts, bias-free convolutions, global average
 * pooling (the reference's {@code avg_pool2d(4)} at 32x32) and one linear layer; PyTorch default init.
 */
@Extension
public final class Resnet18 implements Architecture {

    static final String ID = "resnet18";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "CIFAR ResNet-18 of the PAPA paper (kuangliu): no stem max-pool, projection shortcuts, 11.2M parameters";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.integer("width", 64,
                "channels of the first stage; the others have 2x, 4x and 8x as many (64 = the paper)").range(1, 4096));
    }

    @Override
    public Map<String, String> stateDictNames(Block block) {
        return TorchNames.resnet(block, TorchNames.ResNetStyle.CIFAR);
    }

    @Override
    public Block build(ImageShape input, int numClasses, Options options) {
        Inputs.requireClasses(ID, numClasses);
        CifarResNet.Shortcut projection = (in, out, stride) ->
                new SequentialBlock().add(Layers.conv1x1(out, stride)).add(Layers.batchNorm());
        return TorchInit.pytorchDefault(CifarResNet.build(options.getInt("width"), 4, 2, projection, numClasses));
    }
}
