package io.papa.plugins.datasets;

import io.papa.api.AugmentationSpec;
import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.DatasetProvider;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.pf4j.Extension;

/**
 * torchvision's {@code ImageFolder} layout: {@code dir/train/<class>/...} and {@code dir/test/<class>/...}
 * (or {@code val/}), class index = position of the folder name in sorted order. Images are decoded
 * on every read, not cached, so folders larger than memory work.
 */
@Extension
public final class ImageFolderProvider implements DatasetProvider {

    static final String DIR = "dir";
    static final String SIZE = "size";
    static final String CHANNELS = "channels";
    static final String MEAN = "mean";
    static final String STD = "std";
    static final String TRANSFORM = "transform";

    private static final String RESIZE = "resize";
    private static final String IMAGENET = "imagenet";

    private static final String AUTO = "auto";
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    @Override
    public String id() {
        return "image-folder";
    }

    @Override
    public String description() {
        return "Images in dir/train/<class>/ and dir/test/<class>/ (or val/), resized and centre-cropped to size x size,"
                + " or with the ImageNet transforms (random resized crop 224 / resize 256 + centre crop 224)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.path(DIR, null, "folder with train/ and test/ (or val/), one sub-folder per class in each"),
                OptionSpec.integer(SIZE, 32, "side of the square images: shorter side scaled to it, then centre crop"
                        + " (transform=resize only)").range(1, 4096),
                OptionSpec.choice(TRANSFORM, RESIZE, "resize: every image resized and centre-cropped to size x size;"
                        + " imagenet: the reference's ImageNet transforms, 224 x 224: training images RandomResizedCrop(224)"
                        + " (scale 0.08-1, ratio 3/4-4/3) drawn from the run seed, test and validation images Resize(256)"
                        + " + CenterCrop(224)", RESIZE, IMAGENET),
                OptionSpec.choice(CHANNELS, "3", "3 for RGB, 1 for grey (ITU-R 601 luma, as PIL's convert('L'))",
                        "3", "1"),
                OptionSpec.text(MEAN, AUTO, "normalisation mean, one comma-separated value per channel; auto = ImageNet"
                        + " (0.485,0.456,0.406), or 0.449 for 1 channel"),
                OptionSpec.text(STD, AUTO, "normalisation std, one comma-separated value per channel; auto = ImageNet"
                        + " (0.229,0.224,0.225), or 0.226 for 1 channel"));
    }

    @Override
    public Dataset load(Options options) {
        Path dir = DataFiles.expandHome(options.getString(DIR)).toAbsolutePath();
        String layout = "expected a folder with train/ and test/ (or val/) sub-folders, each holding one folder"
                + " of images per class";
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(id() + ": option " + DIR + " = " + dir + " is not a directory; " + layout);
        }
        Path trainDir = dir.resolve("train");
        Path testDir = Files.isDirectory(dir.resolve("test")) ? dir.resolve("test") : dir.resolve("val");
        if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
            throw new DatasetException(id() + ": " + dir + " has no " + (Files.isDirectory(trainDir) ? "test/ or val/" : "train/")
                    + " folder; " + layout);
        }
        List<String> classes = classFolders(trainDir);
        List<String> testClasses = classFolders(testDir);
        if (classes.isEmpty()) {
            throw new DatasetException(id() + ": " + trainDir + " has no class sub-folders; " + layout);
        }
        if (!classes.equals(testClasses)) {
            throw new DatasetException(id() + ": class folders differ between " + trainDir + " and " + testDir
                    + ": only in train " + minus(classes, testClasses) + ", only in " + testDir.getFileName() + " "
                    + minus(testClasses, classes) + "; both must have the same class sub-folders");
        }

        boolean imagenet = options.getString(TRANSFORM).equals(IMAGENET);
        int size = imagenet ? ImageNetTransforms.CROP : options.getInt(SIZE);
        int channels = options.getInt(CHANNELS);
        ImageShape shape = new ImageShape(channels, size, size);
        Set<String> suffixes = Arrays.stream(ImageIO.getReaderFileSuffixes())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
        MessageDigest checksum = DataFiles.digest("SHA-256");
        FolderImages train = scan(dir, trainDir, classes, shape, suffixes, checksum, imagenet ? Transform.IMAGENET_TRAIN
                : Transform.RESIZE);
        FolderImages test = scan(dir, testDir, classes, shape, suffixes, checksum, imagenet ? Transform.IMAGENET_TEST
                : Transform.RESIZE);
        // the flip is the standard augmentation for both transforms; the ImageNet crop happens in the read
        return new Dataset(id() + " (" + dir + (imagenet ? ", imagenet transforms" : "") + ")", train, test, classes,
                stats(options, MEAN, channels, IMAGENET_MEAN), stats(options, STD, channels, IMAGENET_STD),
                List.of(AugmentationSpec.of("hflip", 0.5)), DataFiles.hex(checksum));
    }

    private List<String> classFolders(Path split) {
        try (Stream<Path> children = Files.list(split)) {
            return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException(id() + ": cannot list " + split + ": " + e, e);
        }
    }

    private static List<String> minus(List<String> a, List<String> b) {
        return a.stream().filter(name -> !b.contains(name)).collect(Collectors.toList());
    }

    /**
     * Lists a split's images in class order, then path order, and feeds the checksum each relative path
     * and file size: not the contents, which for an ImageNet-sized folder would mean reading every byte
     * at each start. A same-size edit of a file therefore goes unnoticed.
     */
    private FolderImages scan(Path root, Path split, List<String> classes, ImageShape shape, Set<String> suffixes,
            MessageDigest checksum, Transform transform) {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            Path classDir = split.resolve(classes.get(k));
            List<Path> images;
            // links followed as torchvision's os.walk(followlinks=True) does: re-organised sets are often symlinks
            try (Stream<Path> walk = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
                images = walk.filter(Files::isRegularFile).filter(p -> isImage(p, suffixes)).sorted()
                        .collect(Collectors.toList());
            } catch (IOException | UncheckedIOException e) {
                throw new DatasetException(id() + ": cannot list " + classDir + ": " + e, e);
            }
            if (images.isEmpty()) {
                throw new DatasetException(id() + ": " + classDir + " holds no images; expected files ending in "
                        + String.join(", ", suffixes));
            }
            for (Path image : images) {
                String relative = root.relativize(image).toString().replace('\\', '/');
                try {
                    checksum.update((relative + "\n" + Files.size(image) + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new DatasetException(id() + ": cannot read the size of " + image + ": " + e, e);
                }
                files.add(image);
                labels.add(k);
            }
        }
        return new FolderImages(files, labels.stream().mapToInt(Integer::intValue).toArray(), shape, transform);
    }

    private static boolean isImage(Path file, Set<String> suffixes) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && suffixes.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private float[] stats(Options options, String name, int channels, float[] imagenet) {
        String raw = options.getString(name);
        if (raw.equals(AUTO)) {
            if (channels == 3) {
                return imagenet.clone();
            }
            // timm's rule for grey inputs: the average of the RGB values
            return new float[] {(imagenet[0] + imagenet[1] + imagenet[2]) / 3};
        }
        String expected = "; expected " + AUTO + " or " + channels + " comma-separated number" + (channels == 1 ? "" : "s")
                + " (one per channel)" + (name.equals(STD) ? ", all positive" : "");
        String[] parts = raw.split(",");
        if (parts.length != channels) {
            throw new DatasetException(id() + ": option " + name + " = '" + raw + "' has " + parts.length
                    + " value(s) for " + channels + " channel(s)" + expected);
        }
        float[] values = new float[channels];
        for (int c = 0; c < channels; c++) {
            try {
                values[c] = Float.parseFloat(parts[c].trim());
            } catch (NumberFormatException e) {
                throw new DatasetException(id() + ": option " + name + " = '" + raw + "' is not a list of numbers" + expected);
            }
            if (!Float.isFinite(values[c]) || (name.equals(STD) && values[c] <= 0)) {
                throw new DatasetException(id() + ": option " + name + " = '" + raw + "' has an invalid value" + expected);
            }
        }
        return values;
    }

    /** How a split's stored images become {@code shape}. */
    private enum Transform { RESIZE, IMAGENET_TRAIN, IMAGENET_TEST }

    /** Paths and labels only; each read decodes the file afresh, which is what makes it thread-safe. */
    private static final class FolderImages implements LabeledImages {

        private final List<Path> files;
        private final int[] labels;
        private final ImageShape shape;
        private final Transform transform;

        FolderImages(List<Path> files, int[] labels, ImageShape shape, Transform transform) {
            this.files = List.copyOf(files);
            this.labels = labels;
            this.shape = shape;
            this.transform = transform;
        }

        @Override
        public int size() {
            return labels.length;
        }

        @Override
        public ImageShape shape() {
            return shape;
        }

        @Override
        public int label(int index) {
            return labels[index];
        }

        @Override
        public void read(int index, float[] destination, int offset) {
            read(index, destination, offset, null);
        }

        /** Random crops only for ImageNet training images read with a generator; otherwise deterministic. */
        @Override
        public void read(int index, float[] destination, int offset, RandomGenerator random) {
            BufferedImage image = decode(files.get(index));
            if (transform == Transform.RESIZE) {
                ImageResize.centreCrop(image, shape.width(), shape.channels(), destination, offset);
            } else if (transform == Transform.IMAGENET_TRAIN && random != null) {
                ImageNetTransforms.train(image, shape.channels(), random, destination, offset);
            } else {
                ImageNetTransforms.test(image, shape.channels(), destination, offset);
            }
        }

        private static BufferedImage decode(Path file) {
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                throw new DatasetException("image-folder: cannot decode " + file + " (" + e
                        + "); expected a readable image, fix or remove the file", e);
            }
            if (image == null) {
                throw new DatasetException("image-folder: " + file + " is not in a format this Java runtime can read;"
                        + " convert it to PNG or JPEG or remove it");
            }
            return image;
        }
    }
}
