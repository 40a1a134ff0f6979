package io.papa.engine.data.imagenet;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A miniature pair of ILSVRC2012 archives written the way the real ones are laid out: a training tar
 * of per-class tars of JPEGs, a flat validation tar, valprep.sh, and the devkit's ground truth with
 * an id-to-wnid mapping whose ids are deliberately not in sorted-wnid order.
 */
public final class MiniImageNet {

    public static final List<String> CLASSES = List.of("n01000001", "n01000002", "n01000003");
    /** Training images per class, corrupt file excluded; sizes vary so resizing has work to do. */
    static final int[][] TRAIN_SIZES = {{120, 80}, {64, 96}, {200, 150}, {90, 90}};
    public static final String CORRUPT = "n01000002_corrupt.JPEG";
    /** Class of validation image i + 1. */
    static final int[] VAL_CLASSES = {2, 0, 1, 0, 2, 1};
    /** Devkit ILSVRC2012_ID of each class: not the sorted order, as in the real devkit. */
    static final int[] DEVKIT_IDS = {3, 1, 2};

    public final Path train;
    public final Path val;
    public final Path valprep;
    final Path groundTruth;
    final Path idToWnid;
    /** Output-relative path to the JPEG bytes written into the archives. */
    final Map<String, byte[]> images = new LinkedHashMap<>();

    public MiniImageNet(Path dir) throws IOException {
        Files.createDirectories(dir);
        train = dir.resolve("ILSVRC2012_img_train.tar");
        val = dir.resolve("ILSVRC2012_img_val.tar");
        valprep = dir.resolve("valprep.sh");
        groundTruth = dir.resolve("ILSVRC2012_validation_ground_truth.txt");
        idToWnid = dir.resolve("synsets.txt");
        Random random = new Random(7);
        Map<String, byte[]> classTars = new LinkedHashMap<>();
        for (int k = 0; k < CLASSES.size(); k++) {
            String wnid = CLASSES.get(k);
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int i = 0; i < TRAIN_SIZES.length; i++) {
                String name = wnid + "_" + (i + 1) + ".JPEG";
                byte[] jpeg = jpeg(TRAIN_SIZES[i][0], TRAIN_SIZES[i][1], k, random);
                files.put(name, jpeg);
                images.put("train/" + wnid + "/" + name, jpeg);
            }
            if (k == 1) {
                byte[] noise = new byte[3000];
                random.nextBytes(noise);
                files.put(CORRUPT, noise);
            }
            classTars.put(wnid + ".tar", tar(files));
        }
        Files.write(train, tar(classTars));

        Map<String, byte[]> valFiles = new LinkedHashMap<>();
        StringBuilder script = new StringBuilder("#!/bin/bash\n");
        CLASSES.forEach(wnid -> script.append("mkdir -p ").append(wnid).append('\n'));
        StringBuilder truth = new StringBuilder();
        for (int i = 0; i < VAL_CLASSES.length; i++) {
            String name = valName(i + 1);
            String wnid = CLASSES.get(VAL_CLASSES[i]);
            byte[] jpeg = jpeg(100 + 10 * i, 70 + 5 * i, VAL_CLASSES[i], random);
            valFiles.put(name, jpeg);
            images.put("val/" + wnid + "/" + name, jpeg);
            script.append("mv ").append(name).append(' ').append(wnid).append("/\n");
            truth.append(DEVKIT_IDS[VAL_CLASSES[i]]).append('\n');
        }
        Files.write(val, tar(valFiles));
        Files.writeString(valprep, script, StandardCharsets.UTF_8);
        Files.writeString(groundTruth, truth, StandardCharsets.UTF_8);
        StringBuilder mapping = new StringBuilder("# ILSVRC2012_ID WNID words\n");
        for (int id = 1; id <= CLASSES.size(); id++) {
            for (int k = 0; k < CLASSES.size(); k++) {
                if (DEVKIT_IDS[k] == id) {
                    mapping.append(id).append(' ').append(CLASSES.get(k)).append(" some animal, with words\n");
                }
            }
        }
        Files.writeString(idToWnid, mapping, StandardCharsets.UTF_8);
    }

    static String valName(int n) {
        return String.format(Locale.ROOT, "ILSVRC2012_val_%08d.JPEG", n);
    }

    /** A photo-like JPEG: a smooth gradient tinted by the class, plus noise so it compresses realistically. */
    static byte[] jpeg(int width, int height, int tint, Random random) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = Math.min(255, 255 * x / width + (tint == 0 ? 60 : 0) + random.nextInt(20));
                int g = Math.min(255, 255 * y / height + (tint == 1 ? 60 : 0) + random.nextInt(20));
                int b = Math.min(255, (tint == 2 ? 180 : 40) + random.nextInt(20));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return encode(image);
    }

    static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "jpeg", bytes)) {
            throw new IllegalStateException("no JPEG writer");
        }
        return bytes.toByteArray();
    }

    /** A tar of {@code files} as GNU tar writes them: 512-byte headers, padded data, end-of-archive marker. */
    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                out.putArchiveEntry(entry);
                out.write(file.getValue());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Output-relative paths of the images that must come out (every image except the corrupt one). */
    List<String> expectedOutputs() {
        return new ArrayList<>(images.keySet());
    }
}
