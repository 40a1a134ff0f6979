package io.papa.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Training streams and the validation split on 100 tiny 1x4x4 images whose pixels encode their
 * index, so every batch can be traced back to the images it contains.
 */
class TrainingStreamTest {

    private static final int N = 100;
    private static final int BATCH = 32;
    private static final int CLASSES = 10;
    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Image i has label i % 10; pixel p holds (i + p/16) / 128, exact in float. */
    static LabeledImages indexedImages(int n) {
        return new LabeledImages() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public ImageShape shape() {
                return SHAPE;
            }

            @Override
            public int label(int index) {
                return index % CLASSES;
            }

            @Override
            public void read(int index, float[] destination, int offset) {
                for (int p = 0; p < SHAPE.size(); p++) {
                    destination[offset + p] = (index + p / 16f) / 128f;
                }
            }
        };
    }

    /** Mean 0 and std 1 leave the encoded pixels unchanged. */
    private static ImageBatches batches(LabeledImages images) {
        return new ImageBatches(images, new float[] {0f}, new float[] {1f});
    }

    private static TrainingStream stream(long seed) {
        return new TrainingStream(batches(indexedImages(N)), BATCH, CLASSES, List.of(), seed);
    }

    /** The image indices of a batch, decoded from its pixels; checks pixels and targets agree with them. */
    private static int[] decode(Regularizer.Batch batch) {
        float[] pixels = batch.images().toFloatArray();
        float[] targets = batch.targets().toFloatArray();
        int size = SHAPE.size();
        int count = (int) batch.images().getShape().get(0);
        assertEquals(count, batch.targets().getShape().get(0));
        assertEquals(CLASSES, batch.targets().getShape().get(1));
        int[] indices = new int[count];
        for (int b = 0; b < count; b++) {
            int index = Math.round(pixels[b * size] * 128);
            for (int p = 0; p < size; p++) {
                assertEquals((index + p / 16f) / 128f, pixels[b * size + p], 0, "pixel " + p + " of image " + index);
            }
            for (int k = 0; k < CLASSES; k++) {
                assertEquals(k == index % CLASSES ? 1f : 0f, targets[b * CLASSES + k], 0,
                        "one-hot target of image " + index);
            }
            indices[b] = index;
        }
        return indices;
    }

    /** The indices of one whole epoch, batch by batch. */
    private List<int[]> epoch(TrainingStream stream) {
        List<int[]> batches = new ArrayList<>();
        for (int b = 0; b < stream.batchesPerEpoch(); b++) {
            try (NDManager scope = manager.newSubManager()) {
                batches.add(decode(stream.next(scope, Device.cpu())));
            }
        }
        return batches;
    }

    private static int[] concat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void anEpochHasCeilNOverBBatchesWithASmallerLastOne() {
        TrainingStream stream = stream(1);
        assertEquals(4, stream.batchesPerEpoch());
        List<int[]> epoch = epoch(stream);
        assertEquals(List.of(32, 32, 32, 4), epoch.stream().map(b -> b.length).toList());
        assertEquals(3, new TrainingStream(batches(indexedImages(96)), BATCH, CLASSES, List.of(), 1).batchesPerEpoch());
        assertEquals(1, new TrainingStream(batches(indexedImages(5)), BATCH, CLASSES, List.of(), 1).batchesPerEpoch());
    }

    @Test
    void everyEpochIsAPermutationOfAllImagesInADifferentOrder() {
        TrainingStream stream = stream(7);
        Set<String> orders = new HashSet<>();
        for (int e = 0; e < 4; e++) {
            int[] order = concat(epoch(stream));
            assertEquals(e, stream.epoch());
            assertEquals(N, order.length);
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            int[] all = new int[N];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sorted, "epoch " + e + " is not a permutation");
            assertFalse(Arrays.equals(all, order), "epoch " + e + " is not shuffled");
            orders.add(Arrays.toString(order));
        }
        assertEquals(4, orders.size(), "epochs repeated an order");
    }

    @Test
    void theStreamContinuesIntoTheNextEpochByItself() {
        TrainingStream stream = stream(3);
        epoch(stream);
        assertEquals(0, stream.epoch());
        try (NDManager scope = manager.newSubManager()) {
            int[] first = decode(stream.next(scope, Device.cpu()));
            assertEquals(1, stream.epoch());
            assertEquals(1, stream.batchInEpoch());
            TrainingStream fresh = stream(3);
            fresh.seek(1, 0);
            assertArrayEquals(decode(fresh.next(scope, Device.cpu())), first);
        }
    }

    @Test
    void theSameSeedGivesIdenticalBatchesAndADifferentSeedADifferentOrder() {
        TrainingStream a = stream(11);
        TrainingStream b = stream(11);
        TrainingStream c = stream(12);
        for (int e = 0; e < 2; e++) {
            List<int[]> ea = epoch(a);
            List<int[]> eb = epoch(b);
            List<int[]> ec = epoch(c);
            for (int i = 0; i < ea.size(); i++) {
                assertArrayEquals(ea.get(i), eb.get(i), "epoch " + e + " batch " + i);
            }
            assertFalse(Arrays.equals(concat(ea), concat(ec)), "seeds 11 and 12 gave the same order in epoch " + e);
        }
    }

    @Test
    void seekingReproducesTheBatchAnUninterruptedStreamReturnsThere() {
        TrainingStream uninterrupted = stream(5);
        List<int[]> all = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            all.addAll(epoch(uninterrupted));
        }
        int perEpoch = uninterrupted.batchesPerEpoch();
        for (int position = 0; position < all.size(); position++) {
            TrainingStream resumed = stream(5);
            resumed.seek(position / perEpoch, position % perEpoch);
            try (NDManager scope = manager.newSubManager()) {
                assertArrayEquals(all.get(position), decode(resumed.next(scope, Device.cpu())),
                        "epoch " + position / perEpoch + " batch " + position % perEpoch);
                // and it goes on exactly like the uninterrupted stream
                if (position + 1 < all.size()) {
                    assertArrayEquals(all.get(position + 1), decode(resumed.next(scope, Device.cpu())));
                }
            }
        }
    }

    @Test
    void perImageRegularisersSeeTheSameRandomDrawsAfterAResume() {
        // a raw-image regulariser that adds a random offset: resume must replay the same draws
        Regularizer jitter = new Regularizer() {
            @Override
            public String id() {
                return "jitter";
            }

            @Override
            public String description() {
                return "adds a random offset";
            }

            @Override
            public Stage stage() {
                return Stage.RAW_IMAGE;
            }

            @Override
            public String strengthName() {
                return "amount";
            }

            @Override
            public void transformImage(float[] image, ImageShape shape, double strength, io.papa.api.Options options,
                    java.util.random.RandomGenerator random) {
                float offset = (float) (strength * random.nextDouble());
                for (int i = 0; i < image.length; i++) {
                    image[i] += offset;
                }
            }
        };
        List<RegularizerStep> pipeline = List.of(new RegularizerStep(jitter, 0.5, io.papa.api.Options.none("jitter")));
        TrainingStream uninterrupted = new TrainingStream(batches(indexedImages(N)), BATCH, CLASSES, pipeline, 9);
        List<float[]> pixels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            try (NDManager scope = manager.newSubManager()) {
                pixels.add(uninterrupted.next(scope, Device.cpu()).images().toFloatArray());
            }
        }
        TrainingStream resumed = new TrainingStream(batches(indexedImages(N)), BATCH, CLASSES, pipeline, 9);
        resumed.seek(1, 1);
        try (NDManager scope = manager.newSubManager()) {
            assertArrayEquals(pixels.get(5), resumed.next(scope, Device.cpu()).images().toFloatArray());
        }
        // the regulariser did act: same order without it gives the plain encoded pixels
        try (NDManager scope = manager.newSubManager()) {
            float[] plain = new TrainingStream(batches(indexedImages(N)), BATCH, CLASSES, List.of(), 9)
                    .next(scope, Device.cpu()).images().toFloatArray();
            assertEquals(plain.length, pixels.get(0).length);
            assertFalse(Arrays.equals(plain, pixels.get(0)), "the jitter left the pixels unchanged");
        }
    }

    @Test
    void anEmptyTrainingSetIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new TrainingStream(batches(indexedImages(0)), BATCH, CLASSES, List.of(), 1));
    }

    // --- validation split ---

    private static int[] indicesOf(LabeledImages images) {
        int[] indices = new int[images.size()];
        float[] image = new float[SHAPE.size()];
        for (int i = 0; i < images.size(); i++) {
            images.read(i, image, 0);
            indices[i] = Math.round(image[0] * 128);
            assertEquals(indices[i] % CLASSES, images.label(i), "label of image " + indices[i]);
        }
        return indices;
    }

    @Test
    void theValidationSplitHoldsOutFloorFNDisjointImages() {
        LabeledImages all = indexedImages(N);
        for (double fraction : new double[] {0.02, 0.155, 0.3}) {
            ValidationSplit split = ValidationSplit.of(all, fraction);
            int held = (int) Math.floor(fraction * N);
            assertEquals(held, split.validation().size(), "fraction " + fraction);
            assertEquals(N - held, split.train().size(), "fraction " + fraction);
            Set<Integer> validation = new HashSet<>();
            for (int i : indicesOf(split.validation())) {
                validation.add(i);
            }
            Set<Integer> union = new HashSet<>(validation);
            for (int i : indicesOf(split.train())) {
                assertFalse(validation.contains(i), "image " + i + " is in both parts");
                union.add(i);
            }
            assertEquals(N, union.size(), "images were lost");
        }
    }

    @Test
    void theValidationSplitIsFixedAndIsARandomSubset() {
        LabeledImages all = indexedImages(N);
        // no run seed goes in: two runs (any seeds) hold out the same images
        assertArrayEquals(indicesOf(ValidationSplit.of(all, 0.2).validation()),
                indicesOf(ValidationSplit.of(indexedImages(N), 0.2).validation()));
        int[] held = indicesOf(ValidationSplit.of(all, 0.2).validation());
        int[] firstTwenty = new int[20];
        Arrays.setAll(firstTwenty, i -> i);
        assertFalse(Arrays.equals(firstTwenty, held), "the split is not shuffled");
        // a larger fraction is not required to contain the smaller one, but both are subsets of the data
        assertTrue(Arrays.stream(held).allMatch(i -> i >= 0 && i < N));
    }

    @Test
    void aZeroFractionHoldsOutNothingAndAnInvalidOneIsRejected() {
        ValidationSplit split = ValidationSplit.of(indexedImages(N), 0);
        assertNull(split.validation());
        assertEquals(N, split.train().size());
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(indexedImages(N), 1.0));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(indexedImages(N), -0.1));
    }
}
