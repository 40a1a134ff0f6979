package io.papa.plugins.architectures;

import io.papa.api.Architecture;
import org.pf4j.Extension;

/** VGG-11 with BatchNorm, see {@link Vgg}. */
@Extension(points = Architecture.class)
public final class Vgg11 extends Vgg {

    static final String ID = "vgg11";

    public Vgg11() {
        super(ID, 11, VGG11);
    }
}
