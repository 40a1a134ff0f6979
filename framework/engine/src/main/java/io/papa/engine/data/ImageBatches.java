package io.papa.engine.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.Regularizer;
import java.util.List;
import java.util.random.RandomGenerator;

/** Reads images into normalised batches, applying the per-image regularisers of a pipeline. */
public final class ImageBatches {

    private final LabeledImages images;
    private final float[] mean;
    private final float[] std;
    private final ImageShape shape;

    public ImageBatches(LabeledImages images, float[] mean, float[] std) {
        this.images = images;
        this.mean = mean.clone();
        this.std = std.clone();
        this.shape = images.shape();
    }

    public LabeledImages images() {
        return images;
    }

    /**
     * Images {@code indices} as a normalised {@code (B, C, H, W)} array on {@code device}, with the
     * active image-stage steps of {@code pipeline} applied in order (raw ones before normalisation).
     */
    public NDArray read(int[] indices, NDManager manager, Device device, List<RegularizerStep> pipeline,
            RandomGenerator random) {
        int size = shape.size();
        int plane = shape.height() * shape.width();
        float[] data = new float[indices.length * size];
        float[] image = new float[size];
        for (int b = 0; b < indices.length; b++) {
            images.read(indices[b], image, 0, random);
            apply(pipeline, Regularizer.Stage.RAW_IMAGE, image, random);
            for (int c = 0; c < shape.channels(); c++) {
                float m = mean[c];
                float s = std[c];
                for (int i = c * plane, end = i + plane; i < end; i++) {
                    image[i] = (image[i] - m) / s;
                }
            }
            apply(pipeline, Regularizer.Stage.NORMALIZED_IMAGE, image, random);
            System.arraycopy(image, 0, data, b * size, size);
        }
        return manager.create(data, new Shape(indices.length, shape.channels(), shape.height(), shape.width()))
                .toDevice(device, false);
    }

    private void apply(List<RegularizerStep> pipeline, Regularizer.Stage stage, float[] image, RandomGenerator random) {
        for (RegularizerStep step : pipeline) {
            if (step.stage() == stage && step.active()) {
                step.regularizer().transformImage(image, shape, step.strength(), step.options(), random);
            }
        }
    }

    /** Labels of {@code indices}. */
    public int[] labels(int[] indices) {
        int[] labels = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            labels[b] = images.label(indices[b]);
        }
        return labels;
    }
}
