package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.List;
import org.pf4j.Extension;

/** VGG-19 with BatchNorm, see {@link Vgg}. */
@Extension
public final class Vgg19 implements Architecture {

    static final String ID = "vgg19";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return Vgg.description(19);
    }

    @Override
    public List<OptionSpec> options() {
        return Vgg.options();
    }

    @Override
    public Block build(ImageShape input, int numClasses, Options options) {
        return Vgg.build(ID, Vgg.VGG19, input, numClasses, options);
    }
}
