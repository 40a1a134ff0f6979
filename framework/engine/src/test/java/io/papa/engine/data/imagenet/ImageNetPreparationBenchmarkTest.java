package io.papa.engine.data.imagenet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preparation throughput on 2,000 synthetic 400x300 JPEGs (ILSVRC's typical size is about 500x375).
 * Takes about a minute, so it runs only when asked: {@code -Dpapa.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "papa.benchmark", matches = "true")
class ImageNetPreparationBenchmarkTest {

    private static final int CLASSES = 20;
    private static final int TRAIN_PER_CLASS = 90;
    private static final int VAL = 200;

    @TempDir
    Path tmp;

    @Test
    void throughputOnTwoThousandJpegs() throws IOException {
        Random random = new Random(3);
        byte[][] pool = new byte[16][];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = photo(random);
        }
        Map<String, byte[]> classTars = new LinkedHashMap<>();
        for (int k = 0; k < CLASSES; k++) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (int i = 0; i < TRAIN_PER_CLASS; i++) {
                files.put(String.format(Locale.ROOT, "n%08d_%d.JPEG", k, i), pool[random.nextInt(pool.length)]);
            }
            classTars.put(String.format(Locale.ROOT, "n%08d.tar", k), MiniImageNet.tar(files));
        }
        Path train = tmp.resolve("ILSVRC2012_img_train.tar");
        Files.write(train, MiniImageNet.tar(classTars));
        Map<String, byte[]> valFiles = new LinkedHashMap<>();
        StringBuilder valprep = new StringBuilder();
        for (int i = 1; i <= VAL; i++) {
            valFiles.put(MiniImageNet.valName(i), pool[random.nextInt(pool.length)]);
            valprep.append("mv ").append(MiniImageNet.valName(i)).append(String.format(Locale.ROOT, " n%08d/%n", i % CLASSES));
        }
        Path val = tmp.resolve("ILSVRC2012_img_val.tar");
        Files.write(val, MiniImageNet.tar(valFiles));
        Path labels = tmp.resolve("valprep.sh");
        Files.writeString(labels, valprep, StandardCharsets.UTF_8);

        int processors = Runtime.getRuntime().availableProcessors();
        for (String resize : new String[] {"none", "256", "64x64"}) {
            for (int threads : processors > 1 ? new int[] {1, processors} : new int[] {1}) {
                Path output = tmp.resolve("out-" + resize + "-" + threads);
                PreparationSummary summary = ImageNetPreparer.prepare(ImageNetPreparer.Settings.of(train, val,
                        ValidationLabels.valprep(labels), output).withResize(Resize.parse(resize)).withThreads(threads),
                        ImageNetPreparer.Progress.NONE);
                assertEquals(CLASSES * TRAIN_PER_CLASS + VAL, summary.written());
                System.out.printf(Locale.ROOT, "ImageNet preparation, 2000 JPEGs 400x300, resize %-5s %d thread(s):"
                        + " %.1f images/s (index %.2f s)%n", resize, threads, summary.imagesPerSecond(),
                        summary.indexSeconds());
            }
        }
    }

    /** Smooth shapes plus sensor-like noise, so the JPEGs cost what photos cost to decode. */
    private static byte[] photo(Random random) throws IOException {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        double fx = 0.01 + 0.05 * random.nextDouble();
        double fy = 0.01 + 0.05 * random.nextDouble();
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                int r = (int) (127 + 100 * Math.sin(x * fx)) + random.nextInt(24);
                int g = (int) (127 + 100 * Math.cos(y * fy)) + random.nextInt(24);
                int b = (int) (127 + 100 * Math.sin((x + y) * fx * fy * 10)) + random.nextInt(24);
                image.setRGB(x, y, Math.min(255, r) << 16 | Math.min(255, g) << 8 | Math.min(255, b));
            }
        }
        return MiniImageNet.encode(image);
    }
}
