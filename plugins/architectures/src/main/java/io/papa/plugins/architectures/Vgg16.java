package io.papa.plugins.architectures;

import io.papa.api.Architecture;
import org.pf4j.Extension;

/** VGG-16 with BatchNorm, see {@link Vgg}. */
@Extension(points = Architecture.class)
public final class Vgg16 extends Vgg {

    static final String ID = "vgg16";

    public Vgg16() {
        super(ID, 16, VGG16);
    }
}
