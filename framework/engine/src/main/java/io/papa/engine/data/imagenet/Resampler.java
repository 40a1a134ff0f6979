package io.papa.engine.data.imagenet;

/**
 * Resizes 8-bit interleaved pixels with a triangle (bilinear) filter that widens with the shrink
 * factor, as PIL's bilinear resize (torchvision's default) does: a photo shrunk eightfold averages
 * the pixels it covers instead of sampling a few and aliasing, which Java2D's bilinear scaling does.
 */
final class Resampler {

    private Resampler() {
    }

    static byte[] resize(byte[] pixels, int width, int height, int bands, int outWidth, int outHeight) {
        Taps across = Taps.of(width, outWidth);
        Taps down = Taps.of(height, outHeight);
        // vertical pass first, a weighted sum of whole rows: contiguous, so the JIT vectorises it
        int stride = width * bands;
        float[] rows = new float[outHeight * stride];
        for (int y = 0; y < outHeight; y++) {
            float[] w = down.weights[y];
            int out = y * stride;
            for (int k = 0; k < w.length; k++) {
                float weight = w[k];
                int in = (down.first[y] + k) * stride;
                for (int i = 0; i < stride; i++) {
                    rows[out + i] += weight * (pixels[in + i] & 0xFF);
                }
            }
        }
        int outStride = outWidth * bands;
        byte[] result = new byte[outHeight * outStride];
        for (int y = 0; y < outHeight; y++) {
            int in = y * stride;
            int out = y * outStride;
            for (int x = 0; x < outWidth; x++) {
                float[] w = across.weights[x];
                int from = in + across.first[x] * bands;
                for (int b = 0; b < bands; b++) {
                    float sum = 0;
                    for (int k = 0; k < w.length; k++) {
                        sum += w[k] * rows[from + k * bands + b];
                    }
                    result[out + x * bands + b] = (byte) Math.min(255, Math.max(0, Math.round(sum)));
                }
            }
        }
        return result;
    }

    /** Per output pixel: the first source pixel it reads and the normalised weights of those it reads. */
    private static final class Taps {

        final int[] first;
        final float[][] weights;

        private Taps(int[] first, float[][] weights) {
            this.first = first;
            this.weights = weights;
        }

        /** Output pixel i is centred on source coordinate (i + 0.5) * in / out; the filter radius is max(1, in / out). */
        static Taps of(int inputSize, int outputSize) {
            double ratio = (double) inputSize / outputSize;
            double radius = Math.max(1.0, ratio);
            int[] first = new int[outputSize];
            float[][] weights = new float[outputSize][];
            for (int i = 0; i < outputSize; i++) {
                double centre = (i + 0.5) * ratio;
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
    }
}
