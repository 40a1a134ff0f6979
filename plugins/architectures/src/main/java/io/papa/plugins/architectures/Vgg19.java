package io.papa.plugins.architectures;

import io.papa.api.Architecture;
import org.pf4j.Extension;

/** VGG-19 with BatchNorm, see {@link Vgg}. */
@Extension(points = Architecture.class)
public final class Vgg19 extends Vgg {

    static final String ID = "vgg19";

    public Vgg19() {
        super(ID, 19, VGG19);
    }
}
