package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.ImageShape;
import io.papa.api.InvalidOptionException;
import io.papa.api.Options;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomCropTest {

    private static final ImageShape SHAPE = new ImageShape(3, 10, 7);

    private final RandomCrop crop = new RandomCrop();

    private Options padding(int padding) {
        return Options.resolve("random-crop", crop.options(), Map.of("padding", Integer.toString(padding)));
    }

    /**
     * The offset (top, left) in the zero-padded image that {@code cropped} was cut at, checked over
     * every pixel and channel, or null when it is no such crop.
     */
    private static int[] cropOffset(float[] original, float[] cropped, int padding) {
        for (int top = 0; top <= 2 * padding; top++) {
            for (int left = 0; left <= 2 * padding; left++) {
                if (isCropAt(original, cropped, top - padding, left - padding)) {
                    return new int[] {top, left};
                }
            }
        }
        return null;
    }

    private static boolean isCropAt(float[] original, float[] cropped, int dy, int dx) {
        for (int c = 0; c < SHAPE.channels(); c++) {
            for (int y = 0; y < SHAPE.height(); y++) {
                for (int x = 0; x < SHAPE.width(); x++) {
                    int sy = y + dy;
                    int sx = x + dx;
                    boolean inside = sy >= 0 && sy < SHAPE.height() && sx >= 0 && sx < SHAPE.width();
                    float expected = inside ? TestImages.at(original, SHAPE, c, sy, sx) : 0f;
                    if (TestImages.at(cropped, SHAPE, c, y, x) != expected) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void outputIsAShiftedCopyWithZeroBorderAtEveryOffsetInZeroToTwicePadding() {
        int pad = 4;
        Options options = padding(pad);
        float[] original = TestImages.numbered(SHAPE);
        SplittableRandom random = new SplittableRandom(3);
        Set<Integer> tops = new HashSet<>();
        Set<Integer> lefts = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            float[] image = original.clone();
            crop.transformImage(image, SHAPE, 1.0, options, random);
            int[] offset = cropOffset(original, image, pad);
            assertTrue(offset != null, "output is not a zero-padded crop of the input");
            tops.add(offset[0]);
            lefts.add(offset[1]);
        }
        assertEquals(2 * pad + 1, tops.size(), "every top offset in [0, 2*padding] occurs");
        assertEquals(2 * pad + 1, lefts.size(), "every left offset in [0, 2*padding] occurs");
    }

    @Test
    void paddingAsLargeAsTheImageCanShiftItOutCompletely() {
        ImageShape tiny = new ImageShape(1, 2, 2);
        Options options = Options.resolve("random-crop", crop.options(), Map.of("padding", "3"));
        SplittableRandom random = new SplittableRandom(5);
        boolean sawBlank = false;
        for (int i = 0; i < 200; i++) {
            float[] image = TestImages.numbered(tiny);
            crop.transformImage(image, tiny, 1.0, options, random);
            sawBlank |= image[0] == 0 && image[1] == 0 && image[2] == 0 && image[3] == 0;
        }
        assertTrue(sawBlank);
    }

    @Test
    void defaultPaddingIsFourAndMustNotBeNegative() {
        Options defaults = Options.resolve("random-crop", crop.options(), Map.of());
        assertEquals(4, defaults.getInt("padding"));
        assertThrows(InvalidOptionException.class,
                () -> Options.resolve("random-crop", crop.options(), Map.of("padding", "-1")));
    }

    @Test
    void zeroPaddingOrProbabilityLeavesTheImageUnchanged() {
        float[] original = TestImages.numbered(SHAPE);
        float[] image = original.clone();
        crop.transformImage(image, SHAPE, 1.0, padding(0), new SplittableRandom(1));
        assertArrayEquals(original, image);
        assertFalse(crop.isActive(0));
        for (long seed = 0; seed < 50; seed++) {
            crop.transformImage(image, SHAPE, 0, padding(4), new SplittableRandom(seed));
            assertArrayEquals(original, image);
        }
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        float[] a = TestImages.numbered(SHAPE);
        float[] b = a.clone();
        crop.transformImage(a, SHAPE, 1.0, padding(4), new SplittableRandom(9));
        crop.transformImage(b, SHAPE, 1.0, padding(4), new SplittableRandom(9));
        assertArrayEquals(a, b);
    }
}
