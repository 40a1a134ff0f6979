package io.papa.plugins.regularizers;

import io.papa.api.ImageShape;
import java.util.SplittableRandom;

/** CHW images for the image-stage tests. */
final class TestImages {

    private TestImages() {
    }

    /** Every value distinct and non-zero: 1, 2, 3, ... in CHW order. */
    static float[] numbered(ImageShape shape) {
        float[] image = new float[shape.size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = i + 1;
        }
        return image;
    }

    /** Values uniform in [0.5, 1.5): never zero. */
    static float[] random(ImageShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] image = new float[shape.size()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) (0.5 + random.nextDouble());
        }
        return image;
    }

    static float at(float[] image, ImageShape shape, int c, int y, int x) {
        return image[(c * shape.height() + y) * shape.width() + x];
    }
}
