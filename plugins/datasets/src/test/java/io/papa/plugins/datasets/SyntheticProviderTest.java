package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.Dataset;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SyntheticProviderTest {

    private final SyntheticProvider provider = new SyntheticProvider();

    private Dataset load(String... options) {
        return provider.load(TestData.options(provider, options));
    }

    @Test
    void defaultsAreCifarShapedWithCifarNormalisationAndAugmentation() {
        Dataset dataset = load();
        assertEquals(new ImageShape(3, 32, 32), dataset.shape());
        assertEquals(50_000, dataset.train().size());
        assertEquals(1_000, dataset.test().size());
        assertEquals(10, dataset.numClasses());
        assertArrayEquals(CifarFormat.CIFAR10.mean(), dataset.mean());
        assertArrayEquals(CifarFormat.CIFAR10.std(), dataset.std());
        assertEquals(List.of("random-crop", "hflip"),
                dataset.standardAugmentation().stream().map(a -> a.regularizerId()).toList());
        assertEquals(List.of(), load("augment", "false").standardAugmentation());
    }

    @Test
    void optionsShapeTheImagesAndTheSplits() {
        Dataset small = load("channels", "1", "size", "8", "classes", "3", "train", "20", "test", "5");
        assertEquals(new ImageShape(1, 8, 8), small.shape());
        assertEquals(20, small.train().size());
        assertEquals(5, small.test().size());
        assertEquals(List.of("0", "1", "2"), small.classNames());
        assertEquals(1, small.mean().length);
    }

    @Test
    void imagesAreEightBitValuesAndEveryClassOccurs() {
        LabeledImages train = load().train();
        boolean[] seen = new boolean[10];
        for (int i = 0; i < 200; i++) {
            seen[train.label(i)] = true;
            for (float value : TestData.image(train, i)) {
                assertTrue(value >= 0 && value <= 1, "value " + value);
                assertEquals(Math.round(value * 255) / 255f, value, 0f);
            }
        }
        boolean[] all = new boolean[10];
        Arrays.fill(all, true);
        assertArrayEquals(all, seen);
    }

    @Test
    void theSeedFixesEveryImageAndSplitsDiffer() {
        Dataset one = load();
        assertArrayEquals(TestData.image(one.train(), 7), TestData.image(load("seed", "1").train(), 7));
        assertEquals(one.checksum(), load().checksum());
        assertFalse(Arrays.equals(TestData.image(one.train(), 7), TestData.image(load("seed", "2").train(), 7)));
        assertNotEquals(one.checksum(), load("seed", "2").checksum());
        assertFalse(Arrays.equals(TestData.image(one.train(), 7), TestData.image(one.test(), 7)));
        assertFalse(Arrays.equals(TestData.image(one.train(), 7), TestData.image(one.train(), 8)));
    }

    @Test
    void imagesOfOneClassAreCloserThanImagesOfDifferentClasses() {
        LabeledImages train = load().train();
        double same = 0;
        double different = 0;
        int sameCount = 0;
        int differentCount = 0;
        for (int i = 0; i < 40; i++) {
            for (int j = i + 1; j < 40; j++) {
                float[] a = TestData.image(train, i);
                float[] b = TestData.image(train, j);
                double distance = 0;
                for (int p = 0; p < a.length; p++) {
                    distance += (a[p] - b[p]) * (a[p] - b[p]);
                }
                if (train.label(i) == train.label(j)) {
                    same += distance;
                    sameCount++;
                } else {
                    different += distance;
                    differentCount++;
                }
            }
        }
        assertTrue(same / sameCount < 0.8 * different / differentCount,
                "same-class " + same / sameCount + " vs different-class " + different / differentCount);
    }

    @Test
    void concurrentReadsReturnWhatSequentialReadsDo() {
        LabeledImages test = load().test();
        float[][] sequential = new float[200][];
        for (int i = 0; i < 200; i++) {
            sequential[i] = TestData.image(test, i);
        }
        IntStream.range(0, 200).parallel().forEach(i -> assertArrayEquals(sequential[i], TestData.image(test, i)));
    }
}
