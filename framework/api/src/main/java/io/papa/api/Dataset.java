package io.papa.api;

import java.util.List;
import java.util.Objects;

/**
 * A loaded dataset.
 *
 * @param name human-readable identity, e.g. {@code cifar10 (/data/cifar-10-batches-bin)}
 * @param train training images; the engine holds out the validation fraction from these
 * @param test test images
 * @param classNames one name per class; its size is the class count
 * @param mean per-channel normalisation mean
 * @param std per-channel normalisation standard deviation
 * @param standardAugmentation what every member gets on training images (crop and flip for CIFAR)
 * @param checksum SHA-256 of the source files, recorded in provenance
 */
public record Dataset(
        String name,
        LabeledImages train,
        LabeledImages test,
        List<String> classNames,
        float[] mean,
        float[] std,
        List<AugmentationSpec> standardAugmentation,
        String checksum) {

    public Dataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        classNames = List.copyOf(classNames);
        standardAugmentation = List.copyOf(standardAugmentation);
        int channels = train.shape().channels();
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException(name + ": normalisation needs " + channels + " channel values");
        }
        if (!train.shape().equals(test.shape())) {
            throw new IllegalArgumentException(name + ": train images are " + train.shape()
                    + " but test images are " + test.shape());
        }
    }

    public int numClasses() {
        return classNames.size();
    }

    public ImageShape shape() {
        return train.shape();
    }
}
