package io.papa.plugins.datasets;

import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Images held as unsigned bytes (CHW within an image, value k meaning k/255) and converted to floats
 * on read, so a CIFAR training set costs 150 MB rather than 600 MB. The pixels stay in the arrays
 * they were read into (whole batch files, IDX files), which avoids a second copy while loading.
 * Immutable, hence safe for concurrent reads.
 */
final class ByteImages implements LabeledImages {

    /** {@code count} images in {@code bytes}: image i's pixels start at {@code offset + i * stride}. */
    record Chunk(byte[] bytes, int offset, int stride, int count) {
    }

    private static final float[] UNIT = new float[256];

    static {
        for (int k = 0; k < 256; k++) {
            UNIT[k] = k / 255f;
        }
    }

    private final ImageShape shape;
    private final byte[] labels;
    private final Chunk[] chunks;
    /** First image index of each chunk, ascending, for the binary search in {@link #read}. */
    private final int[] starts;

    ByteImages(ImageShape shape, byte[] labels, List<Chunk> chunks) {
        this.shape = shape;
        this.labels = labels;
        this.chunks = chunks.stream().filter(c -> c.count() > 0).toArray(Chunk[]::new);
        this.starts = new int[this.chunks.length];
        int total = 0;
        for (int c = 0; c < this.chunks.length; c++) {
            starts[c] = total;
            total += this.chunks[c].count();
        }
        if (total != labels.length) {
            throw new IllegalArgumentException(total + " images but " + labels.length + " labels");
        }
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
        return labels[index] & 0xFF;
    }

    @Override
    public void read(int index, float[] destination, int offset) {
        Objects.checkIndex(index, labels.length);
        int c = Arrays.binarySearch(starts, index);
        if (c < 0) {
            c = -c - 2;
        }
        Chunk chunk = chunks[c];
        int from = chunk.offset() + (index - starts[c]) * chunk.stride();
        byte[] bytes = chunk.bytes();
        int n = shape.size();
        for (int i = 0; i < n; i++) {
            destination[offset + i] = UNIT[bytes[from + i] & 0xFF];
        }
    }
}
