package io.papa.api;

import java.util.random.RandomGenerator;

/**
 * Random access to labelled images of one fixed shape. Implementations must be safe for concurrent
 * {@link #read} calls from several threads (batches are assembled in parallel).
 */
public interface LabeledImages {

    int size();

    ImageShape shape();

    /** Class index in {@code [0, numClasses)}. */
    int label(int index);

    /** Writes image {@code index} as CHW floats in [0, 1] into {@code destination} from {@code offset}. */
    void read(int index, float[] destination, int offset);

    /**
     * As {@link #read(int, float[], int)}, with random draws for datasets whose training images are
     * random crops (ImageNet's RandomResizedCrop). Training passes the batch's generator, so crops are
     * reproducible from the run seed; evaluation passes {@code null}, which must give the deterministic
     * image. Datasets without random reads need not override this.
     */
    default void read(int index, float[] destination, int offset, RandomGenerator random) {
        read(index, destination, offset);
    }

    /** A view of the images at the given indices, in that order. */
    default LabeledImages subset(int[] indices) {
        LabeledImages source = this;
        int[] kept = indices.clone();
        return new LabeledImages() {
            @Override
            public int size() {
                return kept.length;
            }

            @Override
            public ImageShape shape() {
                return source.shape();
            }

            @Override
            public int label(int index) {
                return source.label(kept[index]);
            }

            @Override
            public void read(int index, float[] destination, int offset) {
                source.read(kept[index], destination, offset);
            }

            // forwarded explicitly: the default would drop the generator and lose the source's random crops
            @Override
            public void read(int index, float[] destination, int offset, RandomGenerator random) {
                source.read(kept[index], destination, offset, random);
            }
        };
    }
}
