package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.ImageShape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxProviderTest {

    private static final int ROWS = 3;
    private static final int COLS = 4;

    @TempDir
    Path tmp;

    private final MnistIdxProvider provider = new MnistIdxProvider();

    private static int pixel(int image, int p) {
        return (image * 31 + p * 17) & 0xFF;
    }

    private static byte[] images(int first, int count, int magic) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(ROWS);
        out.writeInt(COLS);
        for (int i = first; i < first + count; i++) {
            for (int p = 0; p < ROWS * COLS; p++) {
                out.writeByte(pixel(i, p));
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] labels(int first, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(2049);
        out.writeInt(count);
        for (int i = first; i < first + count; i++) {
            out.writeByte(i % 10);
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] content, boolean gzip) throws IOException {
        if (!gzip) {
            Files.write(file, content);
            return;
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(file + ".gz")))) {
            out.write(content);
        }
    }

    /** Five training and two test images of 3x4 pixels, every file compressed or not. */
    private Path release(String name, boolean gzip) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        write(dir.resolve("train-images-idx3-ubyte"), images(0, 5, 2051), gzip);
        write(dir.resolve("train-labels-idx1-ubyte"), labels(0, 5), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte"), images(5, 2, 2051), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(5, 2), gzip);
        return dir;
    }

    private Dataset load(Path dir) {
        return provider.load(TestData.options(provider, "dir", dir.toString()));
    }

    private static void assertContent(Dataset dataset) {
        assertEquals(new ImageShape(1, ROWS, COLS), dataset.shape());
        assertEquals(5, dataset.train().size());
        assertEquals(2, dataset.test().size());
        for (int i = 0; i < 7; i++) {
            boolean test = i >= 5;
            int index = test ? i - 5 : i;
            assertEquals(i % 10, (test ? dataset.test() : dataset.train()).label(index));
            float[] image = TestData.image(test ? dataset.test() : dataset.train(), index);
            for (int p = 0; p < ROWS * COLS; p++) {
                assertEquals(pixel(i, p) / 255f, image[p], 0f, "pixel " + p + " of image " + i);
            }
        }
    }

    @Test
    void readsPlainIdxFiles() throws IOException {
        Dataset dataset = load(release("plain", false));
        assertContent(dataset);
        assertEquals(DataFiles.numberedClasses(10), dataset.classNames());
        assertArrayEquals(new float[] {0.1307f}, dataset.mean());
        assertArrayEquals(new float[] {0.3081f}, dataset.std());
        assertEquals(List.of(), dataset.standardAugmentation());
    }

    @Test
    void readsGzippedIdxFilesWithTheSameChecksumAsPlainOnes() throws IOException {
        Dataset gzipped = load(release("gz", true));
        assertContent(gzipped);
        assertEquals(load(release("plain", false)).checksum(), gzipped.checksum());
    }

    @Test
    void wrongMagicNumberIsRejectedNamingTheFile() throws IOException {
        Path dir = release("swapped", false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        Files.write(images, images(0, 5, 2049));

        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));

        assertTrue(e.getMessage().contains(images + " starts with magic number 2049, expected 2051"), e.getMessage());
    }

    @Test
    void truncatedImageFileIsRejectedWithTheExpectedSize() throws IOException {
        Path dir = release("cut", false);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        byte[] full = images(5, 2, 2051);
        Files.write(images, Arrays.copyOf(full, full.length - 1));

        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));

        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("(" + full.length + " bytes) but holds " + (full.length - 1)), e.getMessage());
    }

    @Test
    void labelCountMustMatchTheImages() throws IOException {
        Path dir = release("mismatch", false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(0, 4));

        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));

        assertTrue(e.getMessage().contains("declares 4 labels"), e.getMessage());
    }

    @Test
    void missingFileNamesBothAcceptedNames() throws IOException {
        Path dir = release("missing", true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));

        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));

        assertTrue(e.getMessage().contains("neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz"), e.getMessage());
    }
}
