package io.papa.plugins.datasets;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * torchvision's resize-and-crop transforms ({@code Resize} + {@code CenterCrop}, {@code resized_crop}),
 * done on float planes rather than with Graphics2D: Java2D converts grey images through a linear
 * colour space (changing their values) and its bilinear scaling skips pixels when shrinking. Like
 * PIL's bilinear resize, the triangle filter here widens with the shrink factor, so a large photo is
 * averaged down instead of aliased.
 */
final class ImageResize {

    private ImageResize() {
    }

    /** Writes the image as CHW floats in [0, 1]: shorter side scaled to {@code size}, centre square kept. */
    static void centreCrop(BufferedImage image, int size, int channels, float[] destination, int offset) {
        int width = image.getWidth();
        int height = image.getHeight();
        double scale = (double) size / Math.min(width, height);
        Taps across = Taps.of(scale, (width * scale - size) / 2, size, 0, width);
        Taps down = Taps.of(scale, (height * scale - size) / 2, size, 0, height);
        resample(planes(image, channels), width, height, across, down, destination, offset);
    }

    /**
     * torchvision's {@code Resize(resize)} then {@code CenterCrop(crop)}: the shorter side becomes
     * {@code resize} and the longer {@code floor(resize * long / short)}, then the {@code crop} square
     * at offset {@code round((side - crop) / 2)} (Python's rounding, half to even) is kept. The filter
     * sees the whole image, since the resize happens before the crop.
     */
    static void resizeThenCentreCrop(BufferedImage image, int resize, int crop, int channels, float[] destination,
            int offset) {
        int width = image.getWidth();
        int height = image.getHeight();
        int resizedWidth = width <= height ? resize : (int) ((long) resize * width / height);
        int resizedHeight = width <= height ? (int) ((long) resize * height / width) : resize;
        double left = Math.rint((resizedWidth - crop) / 2.0);
        double top = Math.rint((resizedHeight - crop) / 2.0);
        Taps across = Taps.of((double) resizedWidth / width, left, crop, 0, width);
        Taps down = Taps.of((double) resizedHeight / height, top, crop, 0, height);
        resample(planes(image, channels), width, height, across, down, destination, offset);
    }

    /**
     * torchvision's {@code resized_crop}: the box {@code (x, y, w, h)} cut out, then resized to
     * {@code size x size}. The filter sees only the box, as it does when PIL resizes the cut-out.
     */
    static void resizedCrop(BufferedImage image, int x, int y, int w, int h, int size, int channels,
            float[] destination, int offset) {
        double scaleX = (double) size / w;
        double scaleY = (double) size / h;
        Taps across = Taps.of(scaleX, x * scaleX, size, x, x + w);
        Taps down = Taps.of(scaleY, y * scaleY, size, y, y + h);
        resample(planes(image, channels), image.getWidth(), image.getHeight(), across, down, destination, offset);
    }

    /** Filters rows then columns of every plane; the taps' counts give the output's width and height. */
    private static void resample(float[][] planes, int width, int height, Taps across, Taps down, float[] destination,
            int offset) {
        int outWidth = across.first().length;
        int outHeight = down.first().length;
        float[] rows = new float[height * outWidth];
        for (int c = 0; c < planes.length; c++) {
            float[] plane = planes[c];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < outWidth; x++) {
                    rows[y * outWidth + x] = across.apply(plane, y * width, 1, x);
                }
            }
            int out = offset + c * outWidth * outHeight;
            for (int y = 0; y < outHeight; y++) {
                for (int x = 0; x < outWidth; x++) {
                    destination[out + y * outWidth + x] = down.apply(rows, x, outWidth, y);
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
         * {@code (i + 0.5 + offset) / scale}; source pixels in {@code [from, to)} whose centres lie within
         * the filter radius (1, or 1/scale when shrinking) contribute with triangle weights. At scale 1
         * this is the identity.
         */
        static Taps of(double scale, double offset, int outputSize, int from, int to) {
            double radius = Math.max(1.0, 1.0 / scale);
            int[] first = new int[outputSize];
            float[][] weights = new float[outputSize][];
            for (int i = 0; i < outputSize; i++) {
                double centre = (i + 0.5 + offset) / scale;
                int lo = Math.max(from, (int) Math.floor(centre - radius - 0.5));
                int hi = Math.min(to - 1, (int) Math.ceil(centre + radius - 0.5));
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
