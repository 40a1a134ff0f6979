package io.papa.plugins.repair;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Per-channel statistics of one layer over a pass: cumulative averages over batches of the batch
 * mean and of the unbiased batch variance, which is what a torch BatchNorm with {@code momentum=None}
 * records as running_mean and running_var.
 */
final class ChannelMoments {

    private double[] meanSum;
    private double[] varianceSum;
    private int batches;

    /** One batch of activations {@code (B, C, ...)}: mean and variances over every axis but 1. */
    record Batch(NDArray centered, float[] mean, float[] biasedVariance, long count) {

        static Batch of(String path, NDArray activations) {
            Shape shape = activations.getShape();
            int[] axes = new int[shape.dimension() - 1];
            axes[0] = 0;
            for (int a = 2; a < shape.dimension(); a++) {
                axes[a - 1] = a;
            }
            long channels = shape.get(1);
            long count = shape.size() / channels;
            if (count < 2) {
                throw new IllegalStateException("repair: '" + path + "' has only " + count
                        + " value per channel in a calibration batch; its variance is undefined, use larger batches");
            }
            // sum, not mean: PyTorch's NDArray.mean reduces over a single axis only
            NDArray mean = activations.sum(axes, true).div(count);
            NDArray centered = activations.sub(mean);
            return new Batch(centered, mean.toFloatArray(), centered.square().sum(axes).div(count).toFloatArray(), count);
        }

        /** {@code (1, C, 1, ...)}: a per-channel vector shaped to broadcast against the activations. */
        Shape channelShape() {
            Shape shape = centered.getShape();
            long[] dims = new long[shape.dimension()];
            Arrays.fill(dims, 1);
            dims[1] = shape.get(1);
            return new Shape(dims);
        }
    }

    void add(Batch batch) {
        int channels = batch.mean().length;
        if (meanSum == null) {
            meanSum = new double[channels];
            varianceSum = new double[channels];
        }
        double unbiased = batch.count() / (batch.count() - 1.0);
        for (int c = 0; c < channels; c++) {
            meanSum[c] += batch.mean()[c];
            varianceSum[c] += batch.biasedVariance()[c] * unbiased;
        }
        batches++;
    }

    double[] mean() {
        return average(meanSum);
    }

    double[] variance() {
        return average(varianceSum);
    }

    double[] std() {
        double[] std = variance();
        for (int c = 0; c < std.length; c++) {
            std[c] = Math.sqrt(std[c]);
        }
        return std;
    }

    private double[] average(double[] sum) {
        double[] average = new double[sum.length];
        for (int c = 0; c < sum.length; c++) {
            average[c] = sum[c] / batches;
        }
        return average;
    }
}
