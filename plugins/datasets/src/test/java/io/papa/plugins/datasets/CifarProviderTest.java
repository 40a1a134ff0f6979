package io.papa.plugins.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.AugmentationSpec;
import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.ImageShape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarProviderTest {

    /** Records per CIFAR-10 file: data_batch_1..5, then test_batch. */
    private static final int[] RECORDS = {2, 3, 1, 2, 2, 3};
    private static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    @TempDir
    Path tmp;

    /** Pixel p of colour plane c (0 = R, 1 = G, 2 = B) in the given record: distinct per plane and image. */
    private static int pixel(int plane, int p, int image) {
        return (plane * 85 + p * 7 + image * 13) & 0xFF;
    }

    private static int label10(int file, int record) {
        return (file * 3 + record) % 10;
    }

    /** CIFAR-10 files in the official binary layout, keyed by file name. */
    private static Map<String, byte[]> cifar10Files(boolean withNames) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int image = 0;
        for (int f = 0; f < RECORDS.length; f++) {
            byte[] bytes = new byte[RECORDS[f] * 3073];
            for (int r = 0; r < RECORDS[f]; r++, image++) {
                bytes[r * 3073] = (byte) label10(f, r);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 1024; p++) {
                        bytes[r * 3073 + 1 + c * 1024 + p] = (byte) pixel(c, p, image);
                    }
                }
            }
            files.put(f < 5 ? "data_batch_" + (f + 1) + ".bin" : "test_batch.bin", bytes);
        }
        if (withNames) {
            files.put("batches.meta.txt", (String.join("\n", NAMES) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    private static Path writeAll(Path dir, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }

    private static Dataset load10(Path dir) {
        Cifar10Provider provider = new Cifar10Provider();
        return provider.load(TestData.options(provider, "dir", dir.toString()));
    }

    private static void assertCifar10Content(Dataset dataset) {
        assertEquals(10, dataset.train().size());
        assertEquals(3, dataset.test().size());
        assertEquals(new ImageShape(3, 32, 32), dataset.shape());
        int image = 0;
        for (int f = 0; f < RECORDS.length; f++) {
            for (int r = 0; r < RECORDS[f]; r++, image++) {
                boolean test = f == 5;
                int index = test ? r : image;
                assertEquals(label10(f, r), (test ? dataset.test() : dataset.train()).label(index));
                float[] pixels = TestData.image(test ? dataset.test() : dataset.train(), index);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 1024; p++) {
                        assertEquals(pixel(c, p, image) / 255f, pixels[c * 1024 + p], 0f,
                                "plane " + c + " pixel " + p + " of image " + image);
                    }
                }
            }
        }
    }

    @Test
    void readsExtractedFolderWithLabelsAndRgbPlanesInRecordOrder() throws IOException {
        Dataset dataset = load10(writeAll(tmp.resolve("cifar-10-batches-bin"), cifar10Files(true)));

        assertCifar10Content(dataset);
        assertEquals(NAMES, dataset.classNames());
        assertArrayEquals(new float[] {125.307f / 255, 122.961f / 255, 113.8575f / 255}, dataset.mean());
        assertArrayEquals(new float[] {51.5865f / 255, 50.847f / 255, 51.255f / 255}, dataset.std());
        assertEquals(List.of(new AugmentationSpec("random-crop", 1.0, Map.of("padding", "4")),
                AugmentationSpec.of("hflip", 0.5)), dataset.standardAugmentation());
        assertTrue(dataset.name().startsWith("cifar10 ("), dataset.name());
    }

    @Test
    void readsTheTarGzArchiveInMemoryWithTheSameImagesAndChecksum() throws IOException {
        Map<String, byte[]> files = cifar10Files(true);
        Dataset extracted = load10(writeAll(tmp.resolve("extracted"), files));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("cifar-10-batches-bin/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8));
        files.forEach((name, bytes) -> entries.put("cifar-10-batches-bin/" + name, bytes));
        Path archiveDir = Files.createDirectories(tmp.resolve("archive"));
        TestData.tarGz(archiveDir.resolve("cifar-10-binary.tar.gz"), entries);

        Dataset archived = load10(archiveDir);

        assertCifar10Content(archived);
        assertEquals(NAMES, archived.classNames());
        assertEquals(extracted.checksum(), archived.checksum());
        assertTrue(archived.name().contains("cifar-10-binary.tar.gz"), archived.name());
    }

    @Test
    void numbersTheClassesWhenTheNamesFileIsAbsent() throws IOException {
        Dataset dataset = load10(writeAll(tmp.resolve("plain"), cifar10Files(false)));
        assertEquals(DataFiles.numberedClasses(10), dataset.classNames());
    }

    @Test
    void cifar100UsesTheFineLabelAndItsHundredClassNames() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cifar-100-binary"));
        for (String file : List.of("train.bin", "test.bin")) {
            int n = file.equals("train.bin") ? 4 : 2;
            byte[] bytes = new byte[n * 3074];
            for (int r = 0; r < n; r++) {
                bytes[r * 3074] = (byte) (r % 20);
                bytes[r * 3074 + 1] = (byte) (99 - r * 7);
                bytes[r * 3074 + 2] = (byte) (200 + r);
                bytes[r * 3074 + 2 + 2048] = (byte) r;
            }
            Files.write(dir.resolve(file), bytes);
        }
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            names.append("class").append(k).append('\n');
        }
        Files.writeString(dir.resolve("fine_label_names.txt"), names);
        Cifar100Provider provider = new Cifar100Provider();

        Dataset dataset = provider.load(TestData.options(provider, "dir", dir.toString()));

        assertEquals(4, dataset.train().size());
        assertEquals(2, dataset.test().size());
        for (int r = 0; r < 4; r++) {
            assertEquals(99 - r * 7, dataset.train().label(r));
            float[] pixels = TestData.image(dataset.train(), r);
            assertEquals((200 + r) / 255f, pixels[0], 0f, "first red byte follows both label bytes");
            assertEquals(r / 255f, pixels[2048], 0f, "first blue byte");
        }
        assertEquals(100, dataset.numClasses());
        assertEquals("class42", dataset.classNames().get(42));
        assertArrayEquals(new float[] {0.5071f, 0.4865f, 0.4409f}, dataset.mean());
        assertArrayEquals(new float[] {0.2673f, 0.2564f, 0.2762f}, dataset.std());
    }

    @Test
    void truncatedBatchFileIsNamedWithItsExpectedSize() throws IOException {
        Map<String, byte[]> files = cifar10Files(false);
        files.put("data_batch_3.bin", new byte[2 * 3073 - 5]);
        Path dir = writeAll(tmp.resolve("cut"), files);

        DatasetException e = assertThrows(DatasetException.class, () -> load10(dir));

        assertTrue(e.getMessage().contains(dir.resolve("data_batch_3.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("3073-byte records"), e.getMessage());
        assertTrue(e.getMessage().contains("30730000"), e.getMessage());
        assertTrue(e.getMessage().contains("download=true"), e.getMessage());
    }

    @Test
    void missingFilesNameTheFileTheArchiveAndTheDownloadOption() throws IOException {
        Map<String, byte[]> files = cifar10Files(false);
        files.remove("test_batch.bin");
        Path dir = writeAll(tmp.resolve("partial"), files);

        DatasetException e = assertThrows(DatasetException.class, () -> load10(dir));

        assertTrue(e.getMessage().contains(dir.resolve("test_batch.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("download=true"), e.getMessage());
    }

    @Test
    void missingDirectoryIsReported() {
        Path dir = tmp.resolve("nowhere");
        DatasetException e = assertThrows(DatasetException.class, () -> load10(dir));
        assertTrue(e.getMessage().contains(dir + " is not a directory"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsCorruption() throws IOException {
        Map<String, byte[]> files = cifar10Files(false);
        files.get("data_batch_2.bin")[3073] = 10;
        Path dir = writeAll(tmp.resolve("bad-label"), files);

        DatasetException e = assertThrows(DatasetException.class, () -> load10(dir));

        assertTrue(e.getMessage().contains("record 1 of " + dir.resolve("data_batch_2.bin")), e.getMessage());
    }

    @Test
    void archiveWithoutABatchFileIsRejected() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        cifar10Files(false).forEach((name, bytes) -> entries.put("cifar-10-batches-bin/" + name, bytes));
        entries.remove("cifar-10-batches-bin/data_batch_5.bin");
        Path dir = Files.createDirectories(tmp.resolve("incomplete"));
        TestData.tarGz(dir.resolve("cifar-10-binary.tar.gz"), entries);

        DatasetException e = assertThrows(DatasetException.class, () -> load10(dir));

        assertTrue(e.getMessage().contains("has no file data_batch_5.bin"), e.getMessage());
    }

    @Test
    void archiveThatIsNotATarIsReportedAsCorrupt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        Path archive = dir.resolve("cifar-10-binary.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            out.write("this is not a tar file at all, just some text".repeat(20).getBytes(StandardCharsets.UTF_8));
        }

        DatasetException e = assertThrows(DatasetException.class, () -> load10(dir));

        assertTrue(e.getMessage().contains("archive " + archive + " is corrupt"), e.getMessage());
    }
}
