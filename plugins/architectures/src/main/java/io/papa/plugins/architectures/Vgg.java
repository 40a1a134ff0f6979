package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * kuangliu's VGG with BatchNorm: every number of the configuration is conv3x3 (padding 1, with
 * bias) + BN + ReLU, every {@link #M} a 2x2 max-pool; then flatten and one linear layer (512 inputs
 * at 32x32, where the map is 1x1; larger images give it 512 * h * w inputs instead of failing as
 * the reference's fixed Linear(512, K) would). The reference's trailing {@code AvgPool2d(1, 1)} is
 * a no-op and left out. PyTorch default init.
 */
abstract class Vgg implements Architecture {

    static final int M = 0;

    static final int[] VGG11 = {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG13 = {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
    static final int[] VGG16 = {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
    static final int[] VGG19 = {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
        512, 512, 512, 512, M};

    private static final int BASE_WIDTH = 64;

    private final String id;
    private final int depth;
    private final int[] cfg;

    Vgg(String id, int depth, int[] cfg) {
        this.id = id;
        this.depth = depth;
        this.cfg = cfg;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return "VGG-" + depth + " with BatchNorm (kuangliu cfg, as in the PAPA paper); needs at least 32x32 images";
    }

    @Override
    public final List<OptionSpec> options() {
        return List.of(OptionSpec.integer("width", BASE_WIDTH,
                "channels of the first conv; every layer scales in proportion (64 = the paper)").range(1, 4096));
    }

    @Override
    public final Map<String, String> stateDictNames(Block block) {
        return TorchNames.vgg(block);
    }

    @Override
    public final Block build(ImageShape input, int numClasses, Options options) {
        Inputs.requireClasses(id, numClasses);
        int pools = (int) Arrays.stream(cfg).filter(c -> c == M).count();
        Inputs.requirePoolable(id, input, pools);
        int width = options.getInt("width");
        SequentialBlock net = new SequentialBlock();
        for (int c : cfg) {
            if (c == M) {
                net.add(Layers.maxPool2());
            } else {
                int filters = Math.max(1, Math.round(c * width / (float) BASE_WIDTH));
                net.add(Layers.conv3x3(filters, 1, true)).add(Layers.batchNorm()).add(Layers.relu());
            }
        }
        net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(numClasses).build());
        return TorchInit.pytorchDefault(net);
    }
}
