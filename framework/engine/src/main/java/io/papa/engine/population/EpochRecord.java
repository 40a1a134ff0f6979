package io.papa.engine.population;

/**
 * What one epoch did: each member's mean training loss and, when evaluation every epoch is on,
 * each member's test accuracy after the epoch (and after its merge, if there was one).
 *
 * @param testAccuracy {@code null} unless evaluated
 */
public record EpochRecord(int epoch, double[] trainLoss, double[] testAccuracy, boolean merged, double seconds,
        double imagesPerSecond) {
}
