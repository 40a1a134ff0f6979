package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import io.papa.api.nn.ZeroPadShortcut;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * He et al.'s CIFAR ResNet-20: 3x3 stem, three stages of three BasicBlocks (16/32/64 channels,
 * strides 1/2/2) with parameter-free option-A shortcuts (subsample, zero-pad the new channels),
 * global average pooling and one linear layer; kaiming_normal_ weights.
 */
@Extension
public final class Resnet20 implements Architecture {

    static final String ID = "resnet20";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "CIFAR ResNet-20 (He et al.): option-A zero-padding shortcuts, kaiming-normal init, 0.27M parameters";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.integer("width", 16,
                "channels of the first stage, even; the others have 2x and 4x as many (16 = the paper)").range(2, 4096));
    }

    @Override
    public Map<String, String> stateDictNames(Block block) {
        return TorchNames.resnet(block, TorchNames.ResNetStyle.CIFAR);
    }

    @Override
    public Block build(ImageShape input, int numClasses, Options options) {
        Inputs.requireClasses(ID, numClasses);
        int width = options.getInt("width");
        if (width % 2 != 0) {
            // option A pads half of the channel increase (= width at the first doubling) on each side
            throw new IllegalArgumentException(ID + ": option 'width' must be even, got " + width);
        }
        return TorchInit.kaimingNormal(CifarResNet.build(width, 3, 3, ZeroPadShortcut::new, numClasses));
    }
}
