package io.papa.api;

import ai.djl.nn.Block;

/**
 * A network family. The block it builds maps a batch {@code (B, C, H, W)} to logits
 * {@code (B, numClasses)}; the engine initialises it. Parameter names must be stable across builds
 * with the same options, since merges and checkpoints match parameters by name.
 */
public interface Architecture extends PapaExtension {

    Block build(ImageShape input, int numClasses, Options options);
}
