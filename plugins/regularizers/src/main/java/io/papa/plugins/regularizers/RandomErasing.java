package io.papa.plugins.regularizers;

import io.papa.api.ImageShape;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * timm's {@code RandomErasing} as the reference builds it (utils/random_erasing.py, mode 'const',
 * one box, default area and aspect bounds): with probability p, up to 10 attempts to place a box
 * of area U(0.02, 1/3) of the image and log-uniform aspect ratio in [0.3, 1/0.3]; the first box
 * that fits is set to zero in every channel of the normalised image.
 */
@Extension
public final class RandomErasing implements Regularizer {

    private static final double MIN_AREA = 0.02;
    private static final double MAX_AREA = 1.0 / 3;
    private static final double LOG_MIN_ASPECT = Math.log(0.3);
    private static final double LOG_MAX_ASPECT = Math.log(1 / 0.3);
    private static final int ATTEMPTS = 10;

    @Override
    public String id() {
        return "random-erasing";
    }

    @Override
    public String description() {
        return "Random erasing: with probability p, zero one box of 2%-33% of the normalised image";
    }

    @Override
    public Stage stage() {
        return Stage.NORMALIZED_IMAGE;
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
        int height = shape.height();
        int width = shape.width();
        double area = (double) height * width;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = random.nextDouble(MIN_AREA, MAX_AREA) * area;
            double aspectRatio = Math.exp(random.nextDouble(LOG_MIN_ASPECT, LOG_MAX_ASPECT));
            // Math.rint rounds half to even, as Python's round() does
            int h = (int) Math.rint(Math.sqrt(targetArea * aspectRatio));
            int w = (int) Math.rint(Math.sqrt(targetArea / aspectRatio));
            if (w < width && h < height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                erase(image, shape, top, left, h, w);
                return;
            }
        }
    }

    private static void erase(float[] image, ImageShape shape, int top, int left, int h, int w) {
        int plane = shape.height() * shape.width();
        for (int c = 0; c < shape.channels(); c++) {
            for (int y = top; y < top + h; y++) {
                int from = c * plane + y * shape.width() + left;
                Arrays.fill(image, from, from + w, 0f);
            }
        }
    }
}
