package io.papa.plugins.regularizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.papa.api.Regularizer.Batch;
import java.util.SplittableRandom;

/** Batches of known content for the batch-stage tests, built from a seeded Java generator. */
final class TestBatches {

    private TestBatches() {
    }

    /** Images uniform in [0.5, 1.5), so no pixel is zero and any two differ almost surely. */
    static NDArray randomImages(NDManager manager, int b, int c, int h, int w, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[b * c * h * w];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.5 + random.nextDouble());
        }
        return manager.create(values, new Shape(b, c, h, w));
    }

    /** Random images with random soft targets (rows are probability vectors). */
    static Batch random(NDManager manager, int b, int c, int h, int w, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed + 1000);
        float[] targets = new float[b * k];
        for (int i = 0; i < b; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                targets[i * k + j] = (float) random.nextDouble();
                sum += targets[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                targets[i * k + j] /= (float) sum;
            }
        }
        return new Batch(randomImages(manager, b, c, h, w, seed), manager.create(targets, new Shape(b, k)));
    }

    static NDArray oneHot(NDManager manager, int[] labels, int k) {
        float[] values = new float[labels.length * k];
        for (int i = 0; i < labels.length; i++) {
            values[i * k + labels[i]] = 1f;
        }
        return manager.create(values, new Shape(labels.length, k));
    }

    static float[][] rows(NDArray matrix) {
        int b = Math.toIntExact(matrix.getShape().get(0));
        int k = Math.toIntExact(matrix.getShape().get(1));
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[b][k];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * k, rows[i], 0, k);
        }
        return rows;
    }
}
