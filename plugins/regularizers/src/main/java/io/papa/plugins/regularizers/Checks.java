package io.papa.plugins.regularizers;

import ai.djl.ndarray.NDArray;
import io.papa.api.ImageShape;

/** Argument checks shared by the regularisers, so a bad strength fails loudly instead of silently. */
final class Checks {

    private Checks() {
    }

    static void probability(String id, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(id + ": probability p must be in [0, 1], got " + p);
        }
    }

    static void alpha(String id, double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException(id + ": alpha must be a finite number >= 0, got " + alpha);
        }
    }

    static void image(String id, float[] image, ImageShape shape) {
        if (image.length != shape.size()) {
            throw new IllegalArgumentException(id + ": image has " + image.length + " values but shape "
                    + shape + " needs " + shape.size());
        }
    }

    static void imageBatch(String id, NDArray images) {
        if (images.getShape().dimension() != 4) {
            throw new IllegalArgumentException(id + ": images must be (B, C, H, W), got " + images.getShape());
        }
    }

    static void targets(String id, NDArray targets) {
        if (targets.getShape().dimension() != 2) {
            throw new IllegalArgumentException(id + ": targets must be (B, K), got " + targets.getShape());
        }
    }
}
