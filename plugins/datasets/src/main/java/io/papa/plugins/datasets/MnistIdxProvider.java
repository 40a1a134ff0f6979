package io.papa.plugins.datasets;

import io.papa.api.Dataset;
import io.papa.api.DatasetException;
import io.papa.api.DatasetProvider;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.pf4j.Extension;

/**
 * MNIST (or a drop-in such as Fashion-MNIST) in the original IDX files, each optionally gzipped. The
 * checksum covers the decompressed contents, so the .gz and plain copies of one release agree.
 */
@Extension
public final class MnistIdxProvider implements DatasetProvider {

    static final String DIR = "dir";

    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;
    private static final int CLASSES = 10;

    @Override
    public String id() {
        return "mnist-idx";
    }

    @Override
    public String description() {
        return "MNIST from the IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-* (optionally .gz)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.path(DIR, DataFiles.defaultDataDir("mnist"),
                "folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                        + " t10k-labels-idx1-ubyte (each may end in .gz)"));
    }

    @Override
    public Dataset load(Options options) {
        Path dir = DataFiles.expandHome(options.getString(DIR)).toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(id() + ": option " + DIR + " = " + dir + " is not a directory; expected a folder"
                    + " with the four MNIST IDX files (train-images-idx3-ubyte etc., optionally .gz)");
        }
        MessageDigest checksum = DataFiles.digest("SHA-256");
        ByteImages train = split(dir, "train", checksum);
        ByteImages test = split(dir, "t10k", checksum);
        if (!train.shape().equals(test.shape())) {
            throw new DatasetException(id() + ": training images in " + dir + " are " + train.shape()
                    + " but test images are " + test.shape() + "; both must come from the same release");
        }
        return new Dataset(id() + " (" + dir + ")", train, test, DataFiles.numberedClasses(CLASSES),
                new float[] {0.1307f}, new float[] {0.3081f}, List.of(), DataFiles.hex(checksum));
    }

    private ByteImages split(Path dir, String prefix, MessageDigest checksum) {
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        byte[] images = DataFiles.readMaybeGzipped(imagesFile);
        byte[] labels = DataFiles.readMaybeGzipped(labelsFile);
        checksum.update(images);
        checksum.update(labels);

        header(imagesFile, images, IMAGES_MAGIC, 16);
        int count = DataFiles.bigEndianInt(images, 4);
        int rows = DataFiles.bigEndianInt(images, 8);
        int cols = DataFiles.bigEndianInt(images, 12);
        if (count <= 0 || rows <= 0 || cols <= 0 || 16 + (long) count * rows * cols != images.length) {
            throw new DatasetException(id() + ": " + imagesFile + " declares " + count + " images of " + rows + "x" + cols
                    + " (" + (16 + (long) count * rows * cols) + " bytes) but holds " + images.length
                    + " bytes; it is truncated or corrupt, replace it");
        }
        header(labelsFile, labels, LABELS_MAGIC, 8);
        int labelCount = DataFiles.bigEndianInt(labels, 4);
        if (labelCount != count || 8 + (long) labelCount != labels.length) {
            throw new DatasetException(id() + ": " + labelsFile + " declares " + labelCount + " labels in "
                    + labels.length + " bytes, expected " + count + " labels (" + (8 + count)
                    + " bytes) to match " + imagesFile + "; replace it with the matching file");
        }
        byte[] classes = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = labels[8 + i] & 0xFF;
            if (label >= CLASSES) {
                throw new DatasetException(id() + ": label " + i + " of " + labelsFile + " is " + label
                        + ", expected 0.." + (CLASSES - 1) + "; the file is corrupt or not MNIST");
            }
            classes[i] = (byte) label;
        }
        return new ByteImages(new ImageShape(1, rows, cols), classes,
                List.of(new ByteImages.Chunk(images, 16, rows * cols, count)));
    }

    private Path find(Path dir, String name) {
        for (Path candidate : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DatasetException(id() + ": " + dir + " has neither " + name + " nor " + name
                + ".gz; place the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,"
                + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz) there");
    }

    private void header(Path file, byte[] bytes, int magic, int headerBytes) {
        if (bytes.length < headerBytes) {
            throw new DatasetException(id() + ": " + file + " has " + bytes.length + " bytes, shorter than the "
                    + headerBytes + "-byte IDX header; it is truncated, replace it");
        }
        int actual = DataFiles.bigEndianInt(bytes, 0);
        if (actual != magic) {
            throw new DatasetException(id() + ": " + file + " starts with magic number " + actual + ", expected "
                    + magic + " (" + (magic == IMAGES_MAGIC ? "IDX images" : "IDX labels")
                    + "); it is not that MNIST file or it is still compressed without a .gz suffix");
        }
    }
}
