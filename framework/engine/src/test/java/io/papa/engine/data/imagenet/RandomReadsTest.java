package io.papa.engine.data.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.engine.data.ImageBatches;
import io.papa.engine.data.ValidationSplit;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Training batches hand their generator to datasets with random reads (ImageNet crops); evaluation does not. */
class RandomReadsTest {

    /** One-pixel images: a draw from the generator when there is one, 0.5 otherwise. */
    private static final LabeledImages RANDOM_PIXELS = new LabeledImages() {
        @Override
        public int size() {
            return 10;
        }

        @Override
        public ImageShape shape() {
            return new ImageShape(1, 1, 1);
        }

        @Override
        public int label(int index) {
            return 0;
        }

        @Override
        public void read(int index, float[] destination, int offset) {
            destination[offset] = 0.5f;
        }

        @Override
        public void read(int index, float[] destination, int offset, RandomGenerator random) {
            destination[offset] = random == null ? 0.5f : random.nextFloat();
        }
    };

    private static float[] batch(LabeledImages images, RandomGenerator random) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return new ImageBatches(images, new float[] {0f}, new float[] {1f})
                    .read(new int[] {0, 1, 2}, manager, Device.cpu(), List.of(), random).toFloatArray();
        }
    }

    @Test
    void batchesPassTheirGeneratorThroughValidationSubsetsAndEvaluationReadsAreFixed() {
        LabeledImages train = ValidationSplit.of(RANDOM_PIXELS, 0.2).train();

        float[] seeded = batch(train, new SplittableRandom(9));

        SplittableRandom expected = new SplittableRandom(9);
        assertArrayEquals(new float[] {expected.nextFloat(), expected.nextFloat(), expected.nextFloat()}, seeded);
        assertArrayEquals(seeded, batch(train, new SplittableRandom(9)));
        assertFalse(Arrays.equals(seeded, batch(train, new SplittableRandom(10))));
        for (float pixel : batch(train, null)) {
            assertEquals(0.5f, pixel);
        }
    }
}
