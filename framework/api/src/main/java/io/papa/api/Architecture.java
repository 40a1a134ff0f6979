package io.papa.api;

import ai.djl.nn.Block;
import java.util.Map;

/**
 * A network family. The block it builds maps a batch {@code (B, C, H, W)} to logits
 * {@code (B, numClasses)}; the engine initialises it. Parameter names must be stable across builds
 * with the same options, since merges and checkpoints match parameters by name.
 */
public interface Architecture extends PapaExtension {

    Block build(ImageShape input, int numClasses, Options options);

    /**
     * The PyTorch {@code state_dict} key of every parameter of a block this architecture built
     * (e.g. {@code 01Conv2d_weight -> conv1.weight}, BatchNorm gamma/beta/running stats to
     * {@code weight/bias/running_mean/running_var}), so weights can be exchanged with the PyTorch
     * world (torchvision, timm, the reference). Empty when the architecture has no PyTorch
     * counterpart; then import and export use the DJL names.
     */
    default Map<String, String> stateDictNames(Block block) {
        return Map.of();
    }
}
