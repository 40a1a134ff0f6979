package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.List;
import org.pf4j.Extension;

/**
 * A small fast CNN for quick runs and tests: three conv3x3 + BN + ReLU layers (w, 2w, 4w channels),
 * the first two followed by a 2x2 max-pool, then global max pooling and one linear layer. Global
 * max rather than average pooling: on 8,000 MNIST digits, two epochs of plain SGD (lr 0.05, batch
 * 64) reach 96-97% test accuracy with it and only about 71% with average pooling. The convolutions
 * have no bias because a BatchNorm follows each. PyTorch default init.
 */
@Extension
public final class Cnn implements Architecture {

    static final String ID = "cnn";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Small fast CNN (3 conv-BN-ReLU layers, 2 max-pools, global max pool) for quick runs";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.integer("width", 32,
                "channels of the first conv; the second and third have 2x and 4x as many").range(1, 4096));
    }

    @Override
    public Block build(ImageShape input, int numClasses, Options options) {
        Inputs.requireClasses(ID, numClasses);
        Inputs.requirePoolable(ID, input, 2);
        int width = options.getInt("width");
        SequentialBlock net = new SequentialBlock()
                .add(Layers.conv3x3(width, 1, false)).add(Layers.batchNorm()).add(Layers.relu()).add(Layers.maxPool2())
                .add(Layers.conv3x3(2 * width, 1, false)).add(Layers.batchNorm()).add(Layers.relu()).add(Layers.maxPool2())
                .add(Layers.conv3x3(4 * width, 1, false)).add(Layers.batchNorm()).add(Layers.relu())
                .add(Pool.globalMaxPool2dBlock())
                .add(Linear.builder().setUnits(numClasses).build());
        return TorchInit.pytorchDefault(net);
    }
}
