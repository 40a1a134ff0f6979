package io.papa.plugins.datasets;

import java.awt.image.BufferedImage;
import java.util.random.RandomGenerator;

/**
 * The reference's ImageNet transforms (data/*.py, torchvision): training images are
 * {@code RandomResizedCrop(224)} with the defaults scale (0.08, 1), ratio (3/4, 4/3) and bilinear
 * resizing; test images are {@code Resize(256)} then {@code CenterCrop(224)}. The horizontal flip
 * that follows the crop in training is the dataset's standard augmentation, not done here.
 */
final class ImageNetTransforms {

    static final int CROP = 224;
    static final int RESIZE = 256;

    private static final double MIN_SCALE = 0.08;
    private static final double MAX_SCALE = 1.0;
    private static final double LOG_MIN_RATIO = Math.log(3.0 / 4.0);
    private static final double LOG_MAX_RATIO = Math.log(4.0 / 3.0);
    private static final int ATTEMPTS = 10;

    /** A crop box in pixels; {@code fallback} when all attempts failed and the centre crop was used. */
    record Box(int x, int y, int width, int height, boolean fallback) {
    }

    private ImageNetTransforms() {
    }

    /**
     * torchvision's {@code RandomResizedCrop.get_params}: up to ten draws of an area fraction in
     * [0.08, 1] and a log-uniform aspect ratio in [3/4, 4/3], the first box that fits is placed
     * uniformly; otherwise the centre crop of the whole image, clamped to the ratio range. Sides are
     * rounded as Python's {@code round} does (half to even).
     */
    static Box randomBox(int width, int height, RandomGenerator random) {
        double area = (double) width * height;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * random.nextDouble(MIN_SCALE, MAX_SCALE);
            double ratio = Math.exp(random.nextDouble(LOG_MIN_RATIO, LOG_MAX_RATIO));
            int w = (int) Math.rint(Math.sqrt(targetArea * ratio));
            int h = (int) Math.rint(Math.sqrt(targetArea / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int y = random.nextInt(height - h + 1);
                int x = random.nextInt(width - w + 1);
                return new Box(x, y, w, h, false);
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < 3.0 / 4.0) {
            h = (int) Math.rint(width / (3.0 / 4.0));
        } else if (inRatio > 4.0 / 3.0) {
            w = (int) Math.rint(height * (4.0 / 3.0));
        }
        return new Box((width - w) / 2, (height - h) / 2, w, h, true);
    }

    /** A training image: a random box resized to 224 x 224. */
    static void train(BufferedImage image, int channels, RandomGenerator random, float[] destination, int offset) {
        Box box = randomBox(image.getWidth(), image.getHeight(), random);
        ImageResize.resizedCrop(image, box.x(), box.y(), box.width(), box.height(), CROP, channels, destination, offset);
    }

    /** A test image (and a training image read without randomness): shorter side to 256, centre 224 x 224. */
    static void test(BufferedImage image, int channels, float[] destination, int offset) {
        ImageResize.resizeThenCentreCrop(image, RESIZE, CROP, channels, destination, offset);
    }
}
