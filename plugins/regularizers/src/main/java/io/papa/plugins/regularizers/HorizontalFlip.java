package io.papa.plugins.regularizers;

import io.papa.api.ImageShape;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * torchvision's {@code RandomHorizontalFlip(p)} (data/*.py, p = 0.5 there): with probability p,
 * mirror every row of every channel.
 */
@Extension
public final class HorizontalFlip implements Regularizer {

    @Override
    public String id() {
        return "hflip";
    }

    @Override
    public String description() {
        return "Horizontal flip with probability p";
    }

    @Override
    public Stage stage() {
        return Stage.RAW_IMAGE;
    }

    @Override
    public String strengthName() {
        return "p";
    }

    @Override
    public void transformImage(float[] image, ImageShape shape, double p, Options options, RandomGenerator random) {
        Checks.probability(id(), p);
        Checks.image(id(), image, shape);
        if (!isActive(p) || random.nextDouble() >= p) {
            return;
        }
        int width = shape.width();
        for (int row = 0; row < shape.channels() * shape.height(); row++) {
            for (int l = row * width, r = l + width - 1; l < r; l++, r--) {
                float t = image[l];
                image[l] = image[r];
                image[r] = t;
            }
        }
    }
}
