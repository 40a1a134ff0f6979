package io.papa.plugins.datasets;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * torchvision's {@code Resize(size)} then {@code CenterCrop(size)}, done on float planes rather than
 * with Graphics2D: Java2D converts grey images through a linear colour space (changing their values)
 * and its bilinear scaling skips pixels when shrinking. Like PIL's bilinear resize, the triangle
 * filter here widens with the shrink factor, so a large photo is averaged down instead of aliased.
 */
final class ImageResize {

    private ImageResize() {
    }

    /** Writes the image as CHW floats in [0, 1]: shorter side scaled to {@code size}, centre square kept. */
    static void centreCrop(BufferedImage image, int size, int channels, float[] destination, int offset) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[][] planes = planes(image, channels);
        double scale = (double) size / Math.min(width, height);
        Taps across = Taps.of(width, scale, (width * scale - size) / 2, size);
        Taps down = Taps.of(height, scale, (height * scale - size) / 2, size);
        float[] rows = new float[height * size];
        for (int c = 0; c < channels; c++) {
            float[] plane = planes[c];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < size; x++) {
                    rows[y * size + x] = across.apply(plane, y * width, 1, x);
                }
            }
            int out = offset + c * size * size;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    destination[out + y * size + x] = down.apply(rows, x, size, y);
                }
            }
        }
    }

    /** The image as {@code channels} planes of values in [0, 1], grey replicated or RGB reduced to luma. */
    private static float[][] planes(BufferedImage image, int channels) {
        int width = image.getWidth();
        int height = image.getHeight();
        ColorModel model = image.getColorModel();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            // raw samples: getRGB would push grey through the linear-to-sRGB curve
            Raster raster = image.getRaster();
            float max = (1 << model.getComponentSize(0)) - 1;
            float[] grey = new float[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    grey[y * width + x] = raster.getSample(x, y, 0) / max;
                }
            }
            return channels == 1 ? new float[][] {grey} : new float[][] {grey, grey, grey};
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        float[][] rgb = new float[3][argb.length];
        for (int i = 0; i < argb.length; i++) {
            rgb[0][i] = ((argb[i] >> 16) & 0xFF) / 255f;
            rgb[1][i] = ((argb[i] >> 8) & 0xFF) / 255f;
            rgb[2][i] = (argb[i] & 0xFF) / 255f;
        }
        if (channels == 3) {
            return rgb;
        }
        float[] luma = new float[argb.length];
        for (int i = 0; i < argb.length; i++) {
            luma[i] = (299 * rgb[0][i] + 587 * rgb[1][i] + 114 * rgb[2][i]) / 1000;
        }
        return new float[][] {luma};
    }

    /** For each output pixel along one axis: the first source pixel it reads and the normalised weights. */
    private record Taps(int[] first, float[][] weights) {

        /**
         * Output pixel i covers scaled coordinate {@code i + 0.5 + offset}, i.e. source coordinate
         * {@code (i + 0.5 + offset) / scale}; source pixels whose centres lie within the filter radius
         * (1, or 1/scale when shrinking) contribute with triangle weights. At scale 1 this is the identity.
         */
        static Taps of(int inputSize, double scale, double offset, int outputSize) {
            double radius = Math.max(1.0, 1.0 / scale);
            int[] first = new int[outputSize];
            float[][] weights = new float[outputSize][];
            for (int i = 0; i < outputSize; i++) {
                double centre = (i + 0.5 + offset) / scale;
                int lo = Math.max(0, (int) Math.floor(centre - radius - 0.5));
                int hi = Math.min(inputSize - 1, (int) Math.ceil(centre + radius - 0.5));
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int j = lo; j <= hi; j++) {
                    double weight = Math.max(0.0, 1.0 - Math.abs(j + 0.5 - centre) / radius);
                    w[j - lo] = (float) weight;
                    sum += weight;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (w[k] / sum);
                }
                first[i] = lo;
                weights[i] = w;
            }
            return new Taps(first, weights);
        }

        float apply(float[] data, int base, int step, int output) {
            float[] w = weights[output];
            int from = base + first[output] * step;
            float sum = 0;
            for (int k = 0; k < w.length; k++) {
                sum += w[k] * data[from + k * step];
            }
            return sum;
        }
    }
}
