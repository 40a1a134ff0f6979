package io.papa.plugins.architectures;

import io.papa.api.Architecture;
import org.pf4j.Extension;

/** VGG-13 with BatchNorm, see {@link Vgg}. */
@Extension(points = Architecture.class)
public final class Vgg13 extends Vgg {

    static final String ID = "vgg13";

    public Vgg13() {
        super(ID, 13, VGG13);
    }
}
