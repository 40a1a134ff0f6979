package io.papa.plugins.datasets;

import io.papa.api.Dataset;
import io.papa.api.DatasetProvider;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.pf4j.Extension;

/**
 * Seeded random images shaped like CIFAR, for benchmarks and tests that must run without data
 * files. Nothing is held in memory: image {@code i} of a split is drawn when it is read, from a
 * generator keyed by (seed, split, i), so it reads the same every time and from any thread.
 *
 * <p>An image's label is its generator's first draw. Its pixels are its class's pattern (a base
 * level plus a row profile plus a column profile per channel, drawn from a generator keyed by
 * (seed, class)) plus uniform noise, clamped to [0, 1] and rounded to multiples of 1/255 as 8-bit
 * images are; so the classes can be learned, yet every image differs. Normalisation and standard
 * augmentation are CIFAR-10's, so batches reach a network as CIFAR-10's would.
 */
@Extension
public final class SyntheticProvider implements DatasetProvider {

    static final String CHANNELS = "channels";
    static final String SIZE = "size";
    static final String CLASSES = "classes";
    static final String TRAIN = "train";
    static final String TEST = "test";
    static final String SEED = "seed";
    static final String AUGMENT = "augment";

    /** Part of the checksum: bump it when the images a seed gives change. */
    private static final int GENERATOR_VERSION = 1;

    @Override
    public String id() {
        return "synthetic";
    }

    @Override
    public String description() {
        return "seeded random CIFAR-shaped images generated on read (no files), for benchmarks and tests";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.integer(CHANNELS, 3, "channels per image").range(1, 16),
                OptionSpec.integer(SIZE, 32, "height and width in pixels").range(1, 1024),
                OptionSpec.integer(CLASSES, 10, "number of classes").range(1, 100_000),
                OptionSpec.integer(TRAIN, 50_000, "training images").range(1, Integer.MAX_VALUE),
                OptionSpec.integer(TEST, 1_000, "test images").range(1, Integer.MAX_VALUE),
                OptionSpec.integer(SEED, 1, "seed of every image and label")
                        .range(Integer.MIN_VALUE, Integer.MAX_VALUE),
                OptionSpec.flag(AUGMENT, true, "CIFAR's standard augmentation (4-pixel-padded random crop,"
                        + " horizontal flip) for every member, as the cifar10 dataset gives"));
    }

    @Override
    public Dataset load(Options options) {
        int channels = options.getInt(CHANNELS);
        int size = options.getInt(SIZE);
        int classes = options.getInt(CLASSES);
        int seed = options.getInt(SEED);
        ImageShape shape = new ImageShape(channels, size, size);
        long classKey = mix(mix(seed) + 3);
        Images train = new Images(shape, options.getInt(TRAIN), classes, mix(mix(seed) + 1), classKey);
        Images test = new Images(shape, options.getInt(TEST), classes, mix(mix(seed) + 2), classKey);
        String identity = String.format(Locale.ROOT, "%dx%d, %d classes, %d train / %d test, seed %d", size, size,
                classes, train.size(), test.size(), seed);
        return new Dataset(id() + " (" + channels + "x" + identity + ")", train, test,
                IntStream.range(0, classes).mapToObj(Integer::toString).toList(),
                normalisation(CifarFormat.CIFAR10.mean(), channels), normalisation(CifarFormat.CIFAR10.std(), channels),
                options.getBoolean(AUGMENT) ? CifarReader.AUGMENTATION : List.of(),
                DataFiles.sha256((id() + " generator " + GENERATOR_VERSION + ": " + channels + "x" + identity)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    /** CIFAR-10's per-channel values for three channels; otherwise their average on every channel. */
    private static float[] normalisation(float[] cifar, int channels) {
        float[] values = new float[channels];
        float average = (cifar[0] + cifar[1] + cifar[2]) / 3;
        for (int c = 0; c < channels; c++) {
            values[c] = channels == 3 ? cifar[c] : average;
        }
        return values;
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated generator seeds, so no two images share a stream. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private record Images(ImageShape shape, int size, int classes, long splitKey, long classKey)
            implements LabeledImages {

        @Override
        public int label(int index) {
            return generator(index).nextInt(classes);
        }

        @Override
        public void read(int index, float[] destination, int offset) {
            SplittableRandom pixels = generator(index);
            SplittableRandom pattern = new SplittableRandom(mix(classKey + pixels.nextInt(classes)));
            int side = shape.height();
            float[] rows = new float[side];
            float[] columns = new float[side];
            int at = offset;
            for (int c = 0; c < shape.channels(); c++) {
                float base = 0.3f + 0.4f * pattern.nextFloat();
                for (int i = 0; i < side; i++) {
                    rows[i] = 0.3f * (pattern.nextFloat() - 0.5f);
                    columns[i] = 0.3f * (pattern.nextFloat() - 0.5f);
                }
                for (int y = 0; y < side; y++) {
                    float row = base + rows[y];
                    for (int x = 0; x < side; x++) {
                        float value = row + columns[x] + 0.5f * (pixels.nextFloat() - 0.5f);
                        destination[at++] = Math.round(Math.min(1f, Math.max(0f, value)) * 255f) / 255f;
                    }
                }
            }
        }

        private SplittableRandom generator(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("image " + index + " of " + size);
            }
            return new SplittableRandom(mix(splitKey + index));
        }
    }
}
