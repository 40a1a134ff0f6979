package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.Dataset;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetTransformsTest {

    @TempDir
    Path tmp;

    /** RGB image whose red is x mod 256, green y mod 256 and blue x / 256 * 64: every pixel tells where it is. */
    private static BufferedImage positions(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x % 256) << 16 | (y % 256) << 8 | (x / 256) * 64);
            }
        }
        return image;
    }

    private static float[] read(LabeledImages images, int index, SplittableRandom random) {
        float[] image = new float[images.shape().size()];
        images.read(index, image, 0, random);
        return image;
    }

    @Test
    void randomBoxesFollowTorchvisionDefaults() {
        int width = 500;
        int height = 375;
        SplittableRandom random = new SplittableRandom(1);
        for (int n = 0; n < 5000; n++) {
            ImageNetTransforms.Box box = ImageNetTransforms.randomBox(width, height, random);
            assertFalse(box.fallback(), "a 4:3 photo always fits some draw within ten attempts: " + box);
            assertTrue(box.x() >= 0 && box.y() >= 0 && box.x() + box.width() <= width && box.y() + box.height() <= height,
                    box.toString());
            // sides are rounded, so area and ratio may leave their ranges by the rounding, no more
            double area = (double) box.width() * box.height();
            double rounding = (box.width() + box.height() + 1) / 2.0;
            assertTrue(area >= 0.08 * width * height - rounding && area <= (double) width * height, box.toString());
            double ratio = (double) box.width() / box.height();
            double slack = 2.0 / (box.height() - 1);
            assertTrue(ratio >= 0.75 - slack && ratio <= 4.0 / 3 + slack, box.toString());
        }
    }

    @Test
    void aBoxThatNeverFitsFallsBackToTheCentreCropWithTheClosestRatio() {
        // 1000 x 10: any area of 8% or more needs a box taller than 10 pixels at ratio <= 4/3
        ImageNetTransforms.Box wide = ImageNetTransforms.randomBox(1000, 10, new SplittableRandom(5));
        assertEquals(new ImageNetTransforms.Box(493, 0, 13, 10, true), wide);
        ImageNetTransforms.Box tall = ImageNetTransforms.randomBox(12, 900, new SplittableRandom(5));
        assertEquals(new ImageNetTransforms.Box(0, 442, 12, 16, true), tall);
    }

    @Test
    void resizedCropAtScaleOneCopiesTheBoxExactly() {
        BufferedImage image = positions(300, 300);
        int size = 224;
        float[] out = new float[3 * size * size];
        ImageResize.resizedCrop(image, 10, 20, size, size, size, 3, out, 0);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                assertEquals(((x + 10) % 256) / 255f, out[y * size + x], 1e-6f);
                assertEquals(((y + 20) % 256) / 255f, out[size * size + y * size + x], 1e-6f);
            }
        }
    }

    @Test
    void resize256ThenCentreCrop224KeepsTheExpectedCentrePixels() throws IOException {
        // 512 x 256: Resize(256) leaves it as it is, CenterCrop(224) starts at x 144, y 16
        float[] exact = new float[3 * 224 * 224];
        ImageNetTransforms.test(positions(512, 256), 3, exact, 0);
        int plane = 224 * 224;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                int sx = x + 144;
                int sy = y + 16;
                assertEquals((sx % 256) / 255f, exact[y * 224 + x], 1e-6f, "red at " + x + "," + y);
                assertEquals(sy / 255f, exact[plane + y * 224 + x], 1e-6f, "green at " + x + "," + y);
                assertEquals((sx / 256) * 64 / 255f, exact[2 * plane + y * 224 + x], 1e-6f, "blue at " + x + "," + y);
            }
        }

        // 1024 x 512 16-bit ramps: halved to 512 x 256, output pixel i sits at source 2 * (i + 144.5) - 0.5,
        // and a triangle filter of integer radius keeps a linear ramp exact
        BufferedImage across = new BufferedImage(1024, 512, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage down = new BufferedImage(1024, 512, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 1024; x++) {
                across.getRaster().setSample(x, y, 0, 60 * x);
                down.getRaster().setSample(x, y, 0, 100 * y);
            }
        }
        Path png = tmp.resolve("ramp.png");
        ImageIO.write(across, "png", png.toFile());
        float[] ramp = new float[224 * 224];
        ImageNetTransforms.test(ImageIO.read(png.toFile()), 1, ramp, 0);
        float[] rampDown = new float[224 * 224];
        ImageNetTransforms.test(down, 1, rampDown, 0);
        for (int i = 0; i < 224; i++) {
            assertEquals(60 * (2 * (i + 144.5) - 0.5) / 65535, ramp[112 * 224 + i], 1e-5, "column " + i);
            assertEquals(100 * (2 * (i + 16.5) - 0.5) / 65535, rampDown[i * 224 + 112], 1e-5, "row " + i);
        }
    }

    @Test
    void imagenetTransformGivesSeededRandomCropsForTrainingAndFixedCropsOtherwise() throws IOException {
        Path dir = tmp.resolve("imagenet");
        for (String split : new String[] {"train", "val"}) {
            for (String wnid : new String[] {"n01", "n02"}) {
                Files.createDirectories(dir.resolve(split).resolve(wnid));
                ImageIO.write(positions(400, 300), "png", dir.resolve(split).resolve(wnid).resolve("a.png").toFile());
            }
        }
        ImageFolderProvider provider = new ImageFolderProvider();
        Dataset dataset = provider.load(TestData.options(provider, "dir", dir.toString(), "transform", "imagenet"));

        assertEquals(new ImageShape(3, 224, 224), dataset.shape());
        LabeledImages train = dataset.train();
        float[] first = read(train, 0, new SplittableRandom(42));
        assertArrayEquals(first, read(train, 0, new SplittableRandom(42)), "same seed, same crop");
        assertFalse(Arrays.equals(first, read(train, 0, new SplittableRandom(43))), "another seed, another crop");
        // the engine's validation split is a subset: it must pass the generator on
        assertArrayEquals(first, read(train.subset(new int[] {1, 0}), 1, new SplittableRandom(42)));

        float[] fixed = TestData.image(dataset.test(), 0);
        float[] expected = new float[fixed.length];
        ImageNetTransforms.test(positions(400, 300), 3, expected, 0);
        assertArrayEquals(expected, fixed);
        assertArrayEquals(fixed, read(dataset.test(), 0, new SplittableRandom(42)), "test images are never random");
        assertArrayEquals(fixed, read(train, 0, null), "without a generator a training image is the test view");
    }

    @Test
    void resizeTransformStaysTheDefault() throws IOException {
        Path dir = tmp.resolve("plain");
        for (String split : new String[] {"train", "test"}) {
            Files.createDirectories(dir.resolve(split).resolve("a"));
            ImageIO.write(positions(64, 48), "png", dir.resolve(split).resolve("a").resolve("x.png").toFile());
        }
        ImageFolderProvider provider = new ImageFolderProvider();
        Dataset dataset = provider.load(TestData.options(provider, "dir", dir.toString()));

        assertEquals(new ImageShape(3, 32, 32), dataset.shape());
        assertArrayEquals(TestData.image(dataset.train(), 0), read(dataset.train(), 0, new SplittableRandom(1)));
    }
}
