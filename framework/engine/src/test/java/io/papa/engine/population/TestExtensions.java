package io.papa.engine.population;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.papa.api.Architecture;
import io.papa.api.Dataset;
import io.papa.api.DatasetProvider;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * Extensions on the test class path, indexed by the PF4J annotation processor into
 * {@code target/test-classes/META-INF/extensions.idx} and found by {@code PluginHost} under the plugin
 * id {@code classpath}. Every option has a default, so the host validates them without problems (the
 * plugin host tests assert that there are none).
 *
 * <p>There is deliberately no merge strategy here: {@code PluginHostTest} asserts the exact list of
 * merge strategies a plugin directory provides, so the test strategy ({@link TestAverageMerge}) is
 * packed into a plugin jar at test time instead (see {@link TestPluginJar}).
 */
public final class TestExtensions {

    private TestExtensions() {
    }

    public static final String ARCHITECTURE = "test-mlp";
    public static final String DATASET = "test-quadrants";
    public static final String NAN_REGULARIZER = "test-nan";

    /** flatten, Linear(hidden), ReLU, Linear(numClasses) with DJL's default initialisation. */
    @Extension
    public static final class TinyMlp implements Architecture {

        @Override
        public String id() {
            return ARCHITECTURE;
        }

        @Override
        public String description() {
            return "test MLP: flatten + Linear(hidden) + ReLU + Linear(classes)";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.integer("hidden", 32, "hidden units").range(1, 4096),
                    OptionSpec.flag("dropout", false, "a Dropout block after the ReLU (one the fused step cannot fuse)"));
        }

        @Override
        public Block build(ImageShape input, int numClasses, Options options) {
            SequentialBlock block = new SequentialBlock()
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(options.getInt("hidden")).build())
                    .add(Activation.reluBlock());
            if (options.getBoolean("dropout")) {
                block.add(Dropout.builder().optRate(0.1f).build());
            }
            return block.add(Linear.builder().setUnits(numClasses).build());
        }
    }

    /**
     * 1x8x8 images of 4 classes: class c lights quadrant c (row c/2, column c%2) at 0.8 over a 0.2
     * background, plus Gaussian noise from a seeded {@link Random}. Learnable in a few dozen steps.
     */
    @Extension
    public static final class QuadrantDataset implements DatasetProvider {

        public static final ImageShape SHAPE = new ImageShape(1, 8, 8);

        @Override
        public String id() {
            return DATASET;
        }

        @Override
        public String description() {
            return "synthetic bright-quadrant images, 4 classes";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(
                    OptionSpec.integer("train_size", 600, "training images").range(1, 1_000_000),
                    OptionSpec.integer("test_size", 200, "test images").range(1, 1_000_000),
                    OptionSpec.integer("data_seed", 13, "seed of the pixel noise"),
                    OptionSpec.decimal("noise", 0.15, "standard deviation of the pixel noise").range(0, 10));
        }

        @Override
        public Dataset load(Options options) {
            Random random = new Random(options.getInt("data_seed"));
            double noise = options.getDouble("noise");
            Images train = Images.generate(options.getInt("train_size"), random, noise);
            Images test = Images.generate(options.getInt("test_size"), random, noise);
            return new Dataset("test-quadrants (synthetic, seed " + options.getInt("data_seed") + ")", train, test,
                    List.of("top-left", "top-right", "bottom-left", "bottom-right"), new float[] {0.35f},
                    new float[] {0.3f}, List.of(), checksum(train, test));
        }

        private static String checksum(Images... parts) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (Images part : parts) {
                    ByteBuffer bytes = ByteBuffer.allocate(part.pixels.length * 4 + part.labels.length * 4);
                    for (float p : part.pixels) {
                        bytes.putFloat(p);
                    }
                    for (int l : part.labels) {
                        bytes.putInt(l);
                    }
                    sha.update(bytes.array());
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** In-memory images. */
    static final class Images implements LabeledImages {
        final float[] pixels;
        final int[] labels;

        Images(float[] pixels, int[] labels) {
            this.pixels = pixels;
            this.labels = labels;
        }

        static Images generate(int n, Random random, double noise) {
            int size = QuadrantDataset.SHAPE.size();
            float[] pixels = new float[n * size];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                int label = random.nextInt(4);
                labels[i] = label;
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        boolean bright = y / 4 == label / 2 && x / 4 == label % 2;
                        pixels[i * size + y * 8 + x] = (float) ((bright ? 0.8 : 0.2) + noise * random.nextGaussian());
                    }
                }
            }
            return new Images(pixels, labels);
        }

        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public ImageShape shape() {
            return QuadrantDataset.SHAPE;
        }

        @Override
        public int label(int index) {
            return labels[index];
        }

        @Override
        public void read(int index, float[] destination, int offset) {
            int size = QuadrantDataset.SHAPE.size();
            System.arraycopy(pixels, index * size, destination, offset, size);
        }

        @Override
        public String toString() {
            return size() + " images, labels " + Arrays.toString(Arrays.copyOf(labels, Math.min(8, labels.length)));
        }
    }

    /** Fills the image with NaN when its strength is positive: a member with it diverges at once. */
    @Extension
    public static final class NanRegularizer implements Regularizer {

        @Override
        public String id() {
            return NAN_REGULARIZER;
        }

        @Override
        public String description() {
            return "replaces every pixel by NaN";
        }

        @Override
        public Stage stage() {
            return Stage.RAW_IMAGE;
        }

        @Override
        public String strengthName() {
            return "p";
        }

        @Override
        public void transformImage(float[] image, ImageShape shape, double strength, Options options,
                RandomGenerator random) {
            Arrays.fill(image, Float.NaN);
        }
    }
}
