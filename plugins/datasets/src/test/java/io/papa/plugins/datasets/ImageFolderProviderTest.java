package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.AugmentationSpec;
import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderProviderTest {

    @TempDir
    Path tmp;

    private final ImageFolderProvider provider = new ImageFolderProvider();

    private Dataset load(Path dir, String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "dir";
        all[1] = dir.toString();
        System.arraycopy(more, 0, all, 2, more.length);
        return provider.load(TestData.options(provider, all));
    }

    /** A 32x32 RGB image whose red and green encode the position and whose blue is the seed. */
    private static BufferedImage pattern(int seed) {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | seed);
            }
        }
        return image;
    }

    private static void png(Path file, BufferedImage image) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    /** train/{cat,dog} and the given test folder, blue channel = 10 * class + index. */
    private Path folder(String name, String testName) throws IOException {
        Path dir = tmp.resolve(name);
        png(dir.resolve("train/dog/b.png"), pattern(11));
        png(dir.resolve("train/cat/a.png"), pattern(0));
        png(dir.resolve("train/cat/nested/z.png"), pattern(1));
        png(dir.resolve("train/dog/a.png"), pattern(10));
        png(dir.resolve(testName + "/cat/x.png"), pattern(2));
        png(dir.resolve(testName + "/dog/y.png"), pattern(12));
        Files.writeString(dir.resolve("train/cat/notes.txt"), "not an image, skipped");
        return dir;
    }

    @Test
    void sortedClassFoldersGiveLabelsAndPixelsAreExactAtTheirOwnSize() throws IOException {
        Dataset dataset = load(folder("pets", "test"));

        assertEquals(List.of("cat", "dog"), dataset.classNames());
        assertEquals(new ImageShape(3, 32, 32), dataset.shape());
        assertEquals(4, dataset.train().size());
        assertEquals(2, dataset.test().size());
        int[] blues = {0, 1, 10, 11};
        for (int i = 0; i < 4; i++) {
            assertEquals(blues[i] / 10, dataset.train().label(i));
            float[] image = TestData.image(dataset.train(), i);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int p = y * 32 + x;
                    assertEquals(x * 8 / 255f, image[p], 1e-6f);
                    assertEquals(y * 8 / 255f, image[1024 + p], 1e-6f);
                    assertEquals(blues[i] / 255f, image[2048 + p], 1e-6f);
                }
            }
        }
        assertEquals(1, dataset.test().label(1));
        assertArrayEquals(new float[] {0.485f, 0.456f, 0.406f}, dataset.mean());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, dataset.std());
        assertEquals(List.of(AugmentationSpec.of("hflip", 0.5)), dataset.standardAugmentation());
    }

    @Test
    void valFolderServesAsTheTestSplit() throws IOException {
        Dataset dataset = load(folder("pets-val", "val"));
        assertEquals(2, dataset.test().size());
    }

    @Test
    void shorterSideIsScaledToSizeThenTheCentreIsCropped() throws IOException {
        Path dir = tmp.resolve("wide");
        // 64x32: red quarter, green half, blue quarter; the centre 32x32 is pure green
        BufferedImage wide = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                wide.setRGB(x, y, x < 16 ? 0xFF0000 : x < 48 ? 0x00FF00 : 0x0000FF);
            }
        }
        png(dir.resolve("train/a/wide.png"), wide);
        png(dir.resolve("test/a/wide.png"), wide);

        Dataset dataset = load(dir, "size", "16");

        assertEquals(new ImageShape(3, 16, 16), dataset.shape());
        float[] image = TestData.image(dataset.train(), 0);
        for (int y = 0; y < 16; y++) {
            for (int x = 1; x < 15; x++) {
                int p = y * 16 + x;
                assertEquals(0f, image[p], 1e-6f, "red at " + x + "," + y);
                assertEquals(1f, image[256 + p], 1e-6f, "green at " + x + "," + y);
                assertEquals(0f, image[512 + p], 1e-6f, "blue at " + x + "," + y);
            }
        }
    }

    @Test
    void greyImagesKeepTheirValuesAndColourBecomesLumaForOneChannel() throws IOException {
        Path dir = tmp.resolve("grey");
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 64; p++) {
            grey.getRaster().setSample(p % 8, p / 8, 0, p * 4);
        }
        BufferedImage colour = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < 64; p++) {
            colour.setRGB(p % 8, p / 8, 200 << 16 | 100 << 8 | 50);
        }
        png(dir.resolve("train/g/grey.png"), grey);
        png(dir.resolve("train/g/rgb.png"), colour);
        png(dir.resolve("test/g/grey.png"), grey);

        Dataset dataset = load(dir, "size", "8", "channels", "1");

        assertEquals(new ImageShape(1, 8, 8), dataset.shape());
        float[] image = TestData.image(dataset.train(), 0);
        for (int p = 0; p < 64; p++) {
            assertEquals(p * 4 / 255f, image[p], 1e-6f, "grey pixel " + p);
        }
        float luma = (299 * 200 + 587 * 100 + 114 * 50) / 1000f / 255f;
        assertEquals(luma, TestData.image(dataset.train(), 1)[9], 1e-6f);
        assertEquals(0.449f, dataset.mean()[0], 1e-6f);
        assertEquals(0.226f, dataset.std()[0], 1e-6f);

        float[] asRgb = TestData.image(load(dir, "size", "8").train(), 0);
        assertEquals(asRgb[5], asRgb[64 + 5], 0f);
        assertEquals(5 * 4 / 255f, asRgb[128 + 5], 1e-6f);
    }

    @Test
    void differentClassFoldersInTrainAndTestAreNamed() throws IOException {
        Path dir = folder("odd", "test");
        png(dir.resolve("test/bird/w.png"), pattern(3));

        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));

        assertTrue(e.getMessage().contains("only in train [], only in test [bird]"), e.getMessage());
    }

    @Test
    void unreadableImageIsNamedWhenRead() throws IOException {
        Path dir = folder("broken", "test");
        Path broken = dir.resolve("test/dog/y.png");
        Files.writeString(broken, "not a png");
        Dataset dataset = load(dir);

        DatasetException e = assertThrows(DatasetException.class, () -> TestData.image(dataset.test(), 1));

        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }

    @Test
    void missingTestFolderAndMalformedNormalisationAreExplained() throws IOException {
        Path dir = tmp.resolve("only-train");
        png(dir.resolve("train/a/x.png"), pattern(0));
        DatasetException missing = assertThrows(DatasetException.class, () -> load(dir));
        assertTrue(missing.getMessage().contains(dir + " has no test/ or val/ folder"), missing.getMessage());

        Path ok = folder("norm", "test");
        DatasetException mean = assertThrows(DatasetException.class, () -> load(ok, "mean", "0.5,0.5"));
        assertTrue(mean.getMessage().contains("has 2 value(s) for 3 channel(s)"), mean.getMessage());
        DatasetException std = assertThrows(DatasetException.class, () -> load(ok, "std", "0.2,0,0.2"));
        assertTrue(std.getMessage().contains("all positive"), std.getMessage());
        assertArrayEquals(new float[] {0.5f, 0.4f, 0.3f}, load(ok, "mean", "0.5, 0.4, 0.3").mean());
    }

    @Test
    void checksumCoversNamesAndSizesSoItChangesWhenAFileIsAdded() throws IOException {
        Path dir = folder("sums", "test");
        String before = load(dir).checksum();
        assertEquals(before, load(dir).checksum());

        png(dir.resolve("train/dog/c.png"), pattern(13));

        assertNotEquals(before, load(dir).checksum());
    }
}
