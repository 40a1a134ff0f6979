package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.papa.api.ImageShape;
import io.papa.api.Options;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HorizontalFlipTest {

    private final HorizontalFlip flip = new HorizontalFlip();
    private final Options none = Options.none("hflip");

    @Test
    void withProbabilityOneMirrorsEveryRowOfEveryChannel() {
        for (ImageShape shape : new ImageShape[] {new ImageShape(3, 4, 5), new ImageShape(2, 3, 6)}) {
            float[] original = TestImages.numbered(shape);
            float[] image = original.clone();
            flip.transformImage(image, shape, 1.0, none, new SplittableRandom(1));
            for (int c = 0; c < shape.channels(); c++) {
                for (int y = 0; y < shape.height(); y++) {
                    for (int x = 0; x < shape.width(); x++) {
                        assertEquals(TestImages.at(original, shape, c, y, shape.width() - 1 - x),
                                TestImages.at(image, shape, c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void withProbabilityZeroNeverFlips() {
        ImageShape shape = new ImageShape(3, 4, 5);
        float[] original = TestImages.numbered(shape);
        assertFalse(flip.isActive(0));
        for (long seed = 0; seed < 50; seed++) {
            float[] image = original.clone();
            flip.transformImage(image, shape, 0, none, new SplittableRandom(seed));
            assertArrayEquals(original, image);
        }
    }

    @Test
    void withProbabilityOneHalfFlipsAboutHalfTheImages() {
        ImageShape shape = new ImageShape(1, 1, 2);
        SplittableRandom random = new SplittableRandom(4);
        int flipped = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            float[] image = {1, 2};
            flip.transformImage(image, shape, 0.5, none, random);
            flipped += image[0] == 2 ? 1 : 0;
        }
        assertEquals(0.5, (double) flipped / n, 0.03);
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        ImageShape shape = new ImageShape(1, 1, 2);
        SplittableRandom a = new SplittableRandom(8);
        SplittableRandom b = new SplittableRandom(8);
        for (int i = 0; i < 100; i++) {
            float[] x = {1, 2};
            float[] y = {1, 2};
            flip.transformImage(x, shape, 0.5, none, a);
            flip.transformImage(y, shape, 0.5, none, b);
            assertArrayEquals(x, y);
        }
    }
}
