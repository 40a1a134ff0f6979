package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DigitsProviderTest {

    private final DigitsProvider provider = new DigitsProvider();

    private Dataset load(String... options) {
        return provider.load(TestData.options(provider, options));
    }

    /** Labels and pixel sums of every image, in order: equal fingerprints mean the same images. */
    private static long[] fingerprint(LabeledImages images) {
        long[] print = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            double sum = 0;
            float[] image = TestData.image(images, i);
            for (int p = 0; p < image.length; p++) {
                sum += image[p] * 255 * (p + 1);
            }
            print[i] = Math.round(sum) * 10 + images.label(i);
        }
        return print;
    }

    private static boolean[] labelsPresent(LabeledImages images) {
        boolean[] seen = new boolean[10];
        for (int i = 0; i < images.size(); i++) {
            seen[images.label(i)] = true;
        }
        return seen;
    }

    @Test
    void loadsAllTenThousandDigitsSplitByTheTestFraction() {
        Dataset dataset = load();
        assertEquals(8000, dataset.train().size());
        assertEquals(2000, dataset.test().size());

        Dataset thirty = load("test-fraction", "0.3");
        assertEquals(7000, thirty.train().size());
        assertEquals(3000, thirty.test().size());

        boolean[] all = new boolean[10];
        Arrays.fill(all, true);
        assertArrayEquals(all, labelsPresent(dataset.train()));
        assertArrayEquals(all, labelsPresent(dataset.test()));
        assertEquals(new ImageShape(1, 28, 28), dataset.shape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), dataset.classNames());
        assertArrayEquals(new float[] {0.1307f}, dataset.mean());
        assertArrayEquals(new float[] {0.3081f}, dataset.std());
        assertEquals(List.of(), dataset.standardAugmentation());
    }

    @Test
    void pixelsAreWholeMultiplesOfOneOver255InTheUnitInterval() {
        LabeledImages test = load().test();
        int lit = 0;
        for (int i = 0; i < 200; i++) {
            for (float value : TestData.image(test, i)) {
                assertTrue(value >= 0 && value <= 1, "value " + value);
                assertEquals(Math.round(value * 255) / 255f, value, 0f);
                lit += value > 0.5f ? 1 : 0;
            }
        }
        assertTrue(lit > 200 * 50, "digits have ink: " + lit);
    }

    @Test
    void sameSeedGivesTheSameSplitAndAnotherSeedADifferentOne() {
        long[] test42 = fingerprint(load().test());
        assertArrayEquals(test42, fingerprint(load("split-seed", "42").test()));
        assertFalse(Arrays.equals(test42, fingerprint(load("split-seed", "7").test())));
    }

    @Test
    void limitKeepsTheFirstImagesOfTheSameShuffle() {
        Dataset small = load("limit", "500");
        assertEquals(400, small.train().size());
        assertEquals(100, small.test().size());
        long[] fullTest = fingerprint(load().test());
        assertArrayEquals(Arrays.copyOf(fullTest, 100), fingerprint(small.test()));
    }

    @Test
    void limitTooSmallForBothSetsIsExplained() {
        DatasetException e = assertThrows(DatasetException.class, () -> load("limit", "2"));
        assertTrue(e.getMessage().contains("leaves an empty test set"), e.getMessage());
    }

    @Test
    void checksumIsTheResourceHashRecordedInTheNotice() throws IOException {
        String notice;
        try (InputStream in = DigitsProvider.class.getResourceAsStream("mnist-digits.NOTICE")) {
            notice = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String recorded = notice.lines().filter(l -> l.startsWith("SHA-256 (mnist-digits.bin.gz): "))
                .map(l -> l.substring(l.indexOf(": ") + 2)).findFirst().orElseThrow();

        assertEquals(recorded, load().checksum());
        assertEquals(recorded, load("split-seed", "1", "limit", "100").checksum());
    }

    @Test
    void concurrentReadsReturnWhatSequentialReadsDo() {
        LabeledImages train = load().train();
        float[][] sequential = new float[1000][];
        for (int i = 0; i < 1000; i++) {
            sequential[i] = TestData.image(train, i);
        }
        IntStream.range(0, 1000).parallel()
                .forEach(i -> assertArrayEquals(sequential[i], TestData.image(train, i)));
    }
}
