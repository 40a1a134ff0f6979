package io.papa.engine.data.imagenet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.papa.api.DatasetException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageNetPreparerTest {

    @TempDir
    Path tmp;

    private MiniImageNet mini;

    @BeforeEach
    void archives() throws IOException {
        mini = new MiniImageNet(tmp.resolve("ilsvrc"));
    }

    private ImageNetPreparer.Settings settings(Path output) {
        return ImageNetPreparer.Settings.of(mini.train, mini.val, ValidationLabels.valprep(mini.valprep), output)
                .withThreads(2);
    }

    private static List<String> images(Path output) throws IOException {
        try (Stream<Path> files = Files.walk(output)) {
            return files.filter(Files::isRegularFile).map(p -> output.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.startsWith("train/") || p.startsWith("val/")).sorted().collect(Collectors.toList());
        }
    }

    private static BufferedImage decode(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(image != null, file + " is not a readable image");
        return image;
    }

    @Test
    void valprepArchivesBecomeClassFoldersAndTheCorruptImageIsReportedByName() throws IOException {
        Path output = tmp.resolve("out");
        List<long[]> updates = new ArrayList<>();

        PreparationSummary summary = ImageNetPreparer.prepare(settings(output),
                (done, total) -> updates.add(new long[] {done, total}));

        List<String> expected = mini.expectedOutputs();
        expected.sort(null);
        assertEquals(expected, images(output));
        for (String image : expected) {
            assertArrayEquals(mini.images.get(image), Files.readAllBytes(output.resolve(image)),
                    image + " is stored unchanged without a resize");
        }
        assertEquals(List.of(new PreparationSummary.ClassCount("n01000001", 4, 2),
                new PreparationSummary.ClassCount("n01000002", 4, 2),
                new PreparationSummary.ClassCount("n01000003", 4, 2)), summary.classes());
        assertEquals(12, summary.trainImages());
        assertEquals(6, summary.valImages());
        assertEquals(18, summary.written());
        assertEquals(0, summary.alreadyPresent());

        String corrupt = "train/n01000002/" + MiniImageNet.CORRUPT;
        assertEquals(1, summary.unreadable().size());
        assertEquals(corrupt, summary.unreadable().get(0).image());
        assertTrue(summary.unreadable().get(0).source().contains("n01000002.tar inside " + mini.train));
        assertFalse(Files.exists(output.resolve(corrupt)));
        assertTrue(Files.readString(output.resolve(PreparationSummary.UNREADABLE_FILE)).contains(corrupt));
        String text = Files.readString(output.resolve(PreparationSummary.TEXT_FILE));
        assertTrue(text.contains(corrupt) && text.contains("unreadable 1"), text);
        JsonNode json = new ObjectMapper().readTree(output.resolve(PreparationSummary.JSON_FILE).toFile());
        assertEquals(1, json.get("unreadableCount").asInt());
        assertEquals(corrupt, json.get("unreadable").get(0).get("image").asText());
        assertEquals(4, json.get("classes").get("n01000002").get("train").asInt());
        assertEquals(2, json.get("classes").get("n01000002").get("val").asInt());
        assertTrue(json.get("imagesPerSecond").asDouble() > 0);

        long total = 12 + 1 + 6;
        assertArrayEquals(new long[] {0, total}, updates.get(0));
        assertArrayEquals(new long[] {total, total}, updates.get(updates.size() - 1));
        for (int i = 1; i < updates.size(); i++) {
            assertEquals(updates.get(i - 1)[0] + 1, updates.get(i)[0], "progress counts every image once, in order");
        }
        System.out.printf("miniature ImageNet (19 images, no resize, 2 threads): %.1f images/s%n",
                summary.imagesPerSecond());
    }

    @Test
    void groundTruthWithAnIdMappingSortsTheValidationImagesTheSameWay() throws IOException {
        Path viaValprep = tmp.resolve("out-valprep");
        ImageNetPreparer.prepare(settings(viaValprep), ImageNetPreparer.Progress.NONE);

        Path viaGroundTruth = tmp.resolve("out-truth");
        PreparationSummary summary = ImageNetPreparer.prepare(new ImageNetPreparer.Settings(mini.train, mini.val,
                ValidationLabels.groundTruth(mini.groundTruth, mini.idToWnid), viaGroundTruth, Resize.NONE, 90, 2),
                ImageNetPreparer.Progress.NONE);

        assertEquals(images(viaValprep), images(viaGroundTruth));
        assertTrue(images(viaGroundTruth).contains("val/n01000003/" + MiniImageNet.valName(1)));
        assertTrue(summary.labels().contains(mini.groundTruth.toString()));
    }

    @Test
    void shorterSideResizeKeepsTheAspectAndReencodesAtTheGivenQuality() throws IOException {
        Path output = tmp.resolve("out-short");
        PreparationSummary summary = ImageNetPreparer.prepare(settings(output).withResize(Resize.shorterSide(48))
                .withQuality(80), ImageNetPreparer.Progress.NONE);

        for (String image : images(output)) {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(mini.images.get(image)));
            BufferedImage stored = decode(output.resolve(image));
            int w = source.getWidth();
            int h = source.getHeight();
            int[] expected = w <= h ? new int[] {48, 48 * h / w} : new int[] {48 * w / h, 48};
            assertArrayEquals(expected, new int[] {stored.getWidth(), stored.getHeight()}, image);
        }
        assertEquals("48", summary.resize());
        assertTrue(Files.readString(output.resolve(PreparationSummary.TEXT_FILE)).contains("shorter side to 48"));
    }

    @Test
    void squareResizeGivesDownsampledImagesAndKeepsTheirColours() throws IOException {
        Path output = tmp.resolve("out-square");
        ImageNetPreparer.prepare(settings(output).withResize(Resize.parse("16x16")), ImageNetPreparer.Progress.NONE);

        assertEquals(18, images(output).size());
        for (String image : images(output)) {
            BufferedImage stored = decode(output.resolve(image));
            assertEquals(16, stored.getWidth(), image);
            assertEquals(16, stored.getHeight(), image);
        }
        // class 2 images are blue-tinted (blue 180..200, green a vertical ramp): band order must survive
        int rgb = decode(output.resolve("train/n01000003/n01000003_1.JPEG")).getRGB(8, 0);
        assertTrue((rgb & 0xFF) > 150 && ((rgb >> 16) & 0xFF) < 200, Integer.toHexString(rgb));
    }

    @Test
    void resizeAveragesInsteadOfSamplingAndStaysExactOnFlatColour() {
        byte[] stripes = new byte[8 * 2];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = (byte) ((i % 2) * 200);
        }
        byte[] half = Resampler.resize(stripes, 8, 2, 1, 4, 1);
        // away from the borders (where the filter is cut and renormalised, as in PIL) stripes average to grey
        assertEquals(100, half[1] & 0xFF);
        assertEquals(100, half[2] & 0xFF);
        byte[] flat = new byte[5 * 3 * 3];
        Arrays.fill(flat, (byte) 77);
        for (byte b : Resampler.resize(flat, 5, 3, 3, 11, 7)) {
            assertEquals(77, b & 0xFF);
        }
    }

    @Test
    void aRerunRecreatesOnlyTheDeletedOutputAndLeavesTheOthersUntouched() throws IOException {
        Path output = tmp.resolve("out-resume");
        ImageNetPreparer.Settings settings = settings(output).withResize(Resize.shorterSide(40));
        ImageNetPreparer.prepare(settings, ImageNetPreparer.Progress.NONE);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Map<String, byte[]> before = new TreeMap<>();
        for (String image : images(output)) {
            Files.setLastModifiedTime(output.resolve(image), old);
            before.put(image, Files.readAllBytes(output.resolve(image)));
        }
        String deleted = "train/n01000003/n01000003_2.JPEG";
        Files.delete(output.resolve(deleted));
        // what a run stopped while writing that image leaves: its partial temporary file
        Files.write(output.resolve("train/n01000003/.n01000003_2.JPEG.part"), new byte[] {1, 2, 3});
        List<long[]> updates = new ArrayList<>();

        PreparationSummary summary = ImageNetPreparer.prepare(settings, (done, total) -> updates.add(new long[] {done, total}));

        assertEquals(new ArrayList<>(before.keySet()), images(output));
        for (String image : before.keySet()) {
            FileTime modified = Files.getLastModifiedTime(output.resolve(image));
            assertEquals(!image.equals(deleted), modified.equals(old), image + " modified at " + modified);
            assertArrayEquals(before.get(image), Files.readAllBytes(output.resolve(image)), image);
        }
        assertEquals(1, summary.written());
        assertEquals(17, summary.alreadyPresent());
        assertEquals(18, summary.trainImages() + summary.valImages());
        // the corrupt image has no output, so it is tried and reported again
        assertEquals(1, summary.unreadable().size());
        assertArrayEquals(new long[] {2, 2}, updates.get(updates.size() - 1));

        DatasetException other = assertThrows(DatasetException.class, () -> ImageNetPreparer.prepare(
                settings.withResize(Resize.square(32)), ImageNetPreparer.Progress.NONE));
        assertTrue(other.getMessage().contains("resize=40") && other.getMessage().contains("resize=32x32"),
                other.getMessage());
    }

    @Test
    void aTruncatedTrainingArchiveIsAnErrorNamingTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(mini.train);
        long classTwoEnd;
        try (TarFile tar = new TarFile(mini.train)) {
            TarArchiveEntry second = tar.getEntries().get(1);
            classTwoEnd = second.getDataOffset() + second.getSize();
        }
        Path output = tmp.resolve("never");
        // cut inside the second per-class tar, and exactly after it (where only the missing end marker tells)
        for (long cut : new long[] {classTwoEnd - 3000, classTwoEnd}) {
            Files.write(mini.train, Arrays.copyOf(whole, (int) cut));

            DatasetException e = assertThrows(DatasetException.class,
                    () -> ImageNetPreparer.prepare(settings(output), ImageNetPreparer.Progress.NONE));

            assertTrue(e.getMessage().contains(mini.train.toString()) && e.getMessage().contains("truncated"),
                    e.getMessage());
            assertFalse(Files.exists(output.resolve("train")), "nothing is converted from a truncated archive");
        }
    }

    @Test
    void aCutPerClassTarIsAnErrorNamingItAndTheArchive() throws IOException {
        Map<String, byte[]> classTars = new LinkedHashMap<>();
        byte[] images = MiniImageNet.tar(Map.of("n01000001_1.JPEG",
                MiniImageNet.jpeg(50, 40, 0, new Random(1))));
        classTars.put("n01000001.tar", images);
        classTars.put("n01000002.tar", Arrays.copyOf(images, 700));
        Files.write(mini.train, MiniImageNet.tar(classTars));

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageNetPreparer.prepare(settings(tmp.resolve("never")), ImageNetPreparer.Progress.NONE));

        assertTrue(e.getMessage().contains("n01000002.tar inside " + mini.train), e.getMessage());
    }

    @Test
    void aValidationImageWithoutALabelIsAnErrorNamingImageAndLabels() throws IOException {
        String unlabelled = MiniImageNet.valName(4);
        List<String> lines = Files.readAllLines(mini.valprep).stream().filter(line -> !line.contains(unlabelled))
                .collect(Collectors.toList());
        Files.write(mini.valprep, lines, StandardCharsets.UTF_8);

        DatasetException e = assertThrows(DatasetException.class,
                () -> ImageNetPreparer.prepare(settings(tmp.resolve("never")), ImageNetPreparer.Progress.NONE));

        assertTrue(e.getMessage().contains(unlabelled) && e.getMessage().contains(mini.valprep.toString())
                && e.getMessage().contains(mini.val.toString()), e.getMessage());
    }

    @Test
    void missingArchivesAndBadLabelFilesAreExplained() throws IOException {
        Path absent = tmp.resolve("nowhere/ILSVRC2012_img_val.tar");
        DatasetException missing = assertThrows(DatasetException.class, () -> ImageNetPreparer.prepare(
                new ImageNetPreparer.Settings(mini.train, absent, ValidationLabels.valprep(mini.valprep),
                        tmp.resolve("never"), Resize.NONE, 90, 1), ImageNetPreparer.Progress.NONE));
        assertTrue(missing.getMessage().contains(absent.toString()) && missing.getMessage().contains("validation"),
                missing.getMessage());

        Files.writeString(mini.idToWnid, "1 n01000002\n2 n01000003\n");
        DatasetException unmapped = assertThrows(DatasetException.class,
                () -> ValidationLabels.groundTruth(mini.groundTruth, mini.idToWnid).read());
        assertTrue(unmapped.getMessage().contains("class id 3") && unmapped.getMessage().contains(mini.idToWnid.toString()),
                unmapped.getMessage());

        Files.writeString(mini.valprep, "mv " + MiniImageNet.valName(1) + " n09999999/\n");
        assertThrows(DatasetException.class,
                () -> ImageNetPreparer.prepare(settings(tmp.resolve("never")), ImageNetPreparer.Progress.NONE));
        Files.writeString(mini.valprep, "mv " + MiniImageNet.valName(1) + "\n");
        DatasetException malformed = assertThrows(DatasetException.class,
                () -> ValidationLabels.valprep(mini.valprep).read());
        assertTrue(malformed.getMessage().contains("line 1"), malformed.getMessage());
    }

    @Test
    void resizeSpellingsParse() {
        assertEquals(Resize.NONE, Resize.parse("none"));
        assertEquals(Resize.shorterSide(256), Resize.parse("256"));
        assertEquals(Resize.square(64), Resize.parse("64x64"));
        assertThrows(IllegalArgumentException.class, () -> Resize.parse("64x32"));
        assertThrows(IllegalArgumentException.class, () -> Resize.parse("big"));
        assertArrayEquals(new int[] {341, 256}, Resize.shorterSide(256).target(500, 375));
    }
}
