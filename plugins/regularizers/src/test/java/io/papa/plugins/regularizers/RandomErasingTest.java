package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.ImageShape;
import io.papa.api.Options;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomErasingTest {

    private static final ImageShape CIFAR = new ImageShape(3, 32, 32);

    private final RandomErasing erasing = new RandomErasing();
    private final Options none = Options.none("random-erasing");

    @Test
    void withProbabilityOneZeroesOneBoxInEveryChannelWithAreaBetweenTwoPercentAndAThird() {
        int h = CIFAR.height();
        int w = CIFAR.width();
        double minArea = 0.02 * h * w;
        double maxArea = h * w / 3.0;
        // h and w are rounded separately, so h*w may miss the target area by up to about
        // 0.5 * (sqrt(A*ar) + sqrt(A/ar)) <= 1.19 sqrt(A) for ar in [0.3, 1/0.3]
        double low = minArea - 1.19 * Math.sqrt(minArea);
        double high = maxArea + 1.19 * Math.sqrt(maxArea) + 0.25;
        double areaSum = 0;
        int draws = 300;
        for (long seed = 0; seed < draws; seed++) {
            float[] original = TestImages.random(CIFAR, seed);
            float[] image = original.clone();
            erasing.transformImage(image, CIFAR, 1.0, none, new SplittableRandom(seed));
            int y1 = h;
            int y2 = 0;
            int x1 = w;
            int x2 = 0;
            int zeros = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (TestImages.at(image, CIFAR, 0, y, x) == 0f) {
                        zeros++;
                        y1 = Math.min(y1, y);
                        y2 = Math.max(y2, y + 1);
                        x1 = Math.min(x1, x);
                        x2 = Math.max(x2, x + 1);
                    }
                }
            }
            int area = (y2 - y1) * (x2 - x1);
            assertEquals(area, zeros, "the zeros form one filled rectangle");
            assertTrue(area >= low && area <= high, "box area " + area + " outside [" + low + ", " + high + "]");
            assertTrue(y2 - y1 < h && x2 - x1 < w, "a box never spans the whole image");
            for (int c = 0; c < CIFAR.channels(); c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean inBox = y >= y1 && y < y2 && x >= x1 && x < x2;
                        float expected = inBox ? 0f : TestImages.at(original, CIFAR, c, y, x);
                        assertEquals(expected, TestImages.at(image, CIFAR, c, y, x));
                    }
                }
            }
            areaSum += (double) area / (h * w);
        }
        double meanFraction = areaSum / draws;
        // U(0.02, 1/3) has mean 0.177; boxes too tall or wide to fit are redrawn, which lowers it a little
        assertTrue(meanFraction > 0.14 && meanFraction < 0.19, "mean erased fraction " + meanFraction);
    }

    @Test
    void withProbabilityZeroNeverChangesTheImage() {
        assertFalse(erasing.isActive(0));
        for (long seed = 0; seed < 100; seed++) {
            float[] original = TestImages.random(CIFAR, seed);
            float[] image = original.clone();
            erasing.transformImage(image, CIFAR, 0, none, new SplittableRandom(seed));
            assertArrayEquals(original, image);
        }
    }

    @Test
    void erasesAboutAFractionPOfTheImages() {
        ImageShape small = new ImageShape(1, 8, 8);
        SplittableRandom random = new SplittableRandom(17);
        int erased = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            float[] image = TestImages.random(small, i);
            erasing.transformImage(image, small, 0.3, none, random);
            for (float v : image) {
                if (v == 0f) {
                    erased++;
                    break;
                }
            }
        }
        assertEquals(0.3, (double) erased / n, 0.03);
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        float[] a = TestImages.random(CIFAR, 1);
        float[] b = a.clone();
        erasing.transformImage(a, CIFAR, 0.5, none, new SplittableRandom(42));
        erasing.transformImage(b, CIFAR, 0.5, none, new SplittableRandom(42));
        assertArrayEquals(a, b);
    }

    @Test
    void probabilityAboveOneAndWrongSizedImagesAreRejected() {
        float[] image = TestImages.random(CIFAR, 1);
        assertThrows(IllegalArgumentException.class,
                () -> erasing.transformImage(image, CIFAR, 1.5, none, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> erasing.transformImage(new float[10], CIFAR, 1, none, new SplittableRandom(1)));
    }
}
