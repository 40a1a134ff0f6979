package io.papa.plugins.regularizers;

import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.OptionType;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * torchvision's {@code RandomCrop(size, padding)} on CIFAR (data/*.py): pad {@code padding} zeros on
 * every side of the raw image, then crop the original size at a top and a left offset each uniform
 * in [0, 2 * padding]. p is the probability of applying it (the reference always does, p = 1).
 */
@Extension
public final class RandomCrop implements Regularizer {

    private static final String PADDING = "padding";

    @Override
    public String id() {
        return "random-crop";
    }

    @Override
    public String description() {
        return "Random crop: zero-pad the raw image on every side and crop its size at a random offset";
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
    public List<OptionSpec> options() {
        return List.of(new OptionSpec(PADDING, OptionType.INT, "4",
                "zero padding added on every side before cropping", 0.0, null, null));
    }

    @Override
    public void transformImage(float[] image, ImageShape shape, double p, Options options, RandomGenerator random) {
        Checks.probability(id(), p);
        Checks.image(id(), image, shape);
        if (!isActive(p) || random.nextDouble() >= p) {
            return;
        }
        int padding = options.getInt(PADDING);
        // torchvision draws the top offset first, then the left one
        int top = random.nextInt(2 * padding + 1);
        int left = random.nextInt(2 * padding + 1);
        shift(image, shape, top - padding, left - padding);
    }

    /**
     * In place: output (y, x) = input (y + dy, x + dx), zero outside the input. Rows are visited in
     * the direction that never reads a row already overwritten; a row moved onto itself is safe
     * because System.arraycopy handles overlapping ranges.
     */
    private static void shift(float[] image, ImageShape shape, int dy, int dx) {
        int height = shape.height();
        int width = shape.width();
        int kept = width - Math.abs(dx);
        int srcX = Math.max(0, dx);
        int dstX = Math.max(0, -dx);
        for (int c = 0; c < shape.channels(); c++) {
            int base = c * height * width;
            for (int i = 0; i < height; i++) {
                int y = dy >= 0 ? i : height - 1 - i;
                int sy = y + dy;
                int row = base + y * width;
                if (sy < 0 || sy >= height || kept <= 0) {
                    Arrays.fill(image, row, row + width, 0f);
                    continue;
                }
                System.arraycopy(image, base + sy * width + srcX, image, row + dstX, kept);
                Arrays.fill(image, row, row + dstX, 0f);
                Arrays.fill(image, row + dstX + kept, row + width, 0f);
            }
        }
    }
}
