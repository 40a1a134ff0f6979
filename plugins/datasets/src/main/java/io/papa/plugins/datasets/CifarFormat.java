package io.papa.plugins.datasets;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What differs between the CIFAR-10 and CIFAR-100 binary releases. A record is {@code labelBytes}
 * label bytes (CIFAR-100: coarse then fine; the last one is used) followed by 3072 pixel bytes: the
 * 1024 red, then green, then blue values of a 32x32 image, row by row, which is already CHW.
 *
 * @param directoryName the folder the archive extracts to, also the default {@code dir}
 * @param fullTrainRecords records in one complete training file, quoted when a file is missing or cut
 * @param fullTestRecords records in the complete test file
 */
record CifarFormat(
        String id,
        String archiveName,
        String directoryName,
        URI url,
        String md5,
        List<String> trainFiles,
        String testFile,
        int fullTrainRecords,
        int fullTestRecords,
        int labelBytes,
        int classes,
        String namesFile,
        float[] mean,
        float[] std) {

    static final int PIXELS = 3 * 32 * 32;

    static final CifarFormat CIFAR10 = new CifarFormat("cifar10", "cifar-10-binary.tar.gz", "cifar-10-batches-bin",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), "c32a1d4ab5d03f1284b67883e8d87530",
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            "test_batch.bin", 10_000, 10_000, 1, 10, "batches.meta.txt",
            // the reference's data/*.py values, given there in 0..255 units
            new float[] {125.307f / 255, 122.961f / 255, 113.8575f / 255},
            new float[] {51.5865f / 255, 50.847f / 255, 51.255f / 255});

    static final CifarFormat CIFAR100 = new CifarFormat("cifar100", "cifar-100-binary.tar.gz", "cifar-100-binary",
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"), "03b5dce01913d631647c71ecec9e9cb8",
            List.of("train.bin"), "test.bin", 50_000, 10_000, 2, 100, "fine_label_names.txt",
            new float[] {0.5071f, 0.4865f, 0.4409f},
            new float[] {0.2673f, 0.2564f, 0.2762f});

    int recordSize() {
        return labelBytes + PIXELS;
    }

    /** Training files then the test file: the order of reading and of the checksum. */
    List<String> dataFiles() {
        List<String> all = new ArrayList<>(trainFiles);
        all.add(testFile);
        return all;
    }

    long fullSize(String file) {
        return (long) (file.equals(testFile) ? fullTestRecords : fullTrainRecords) * recordSize();
    }
}
