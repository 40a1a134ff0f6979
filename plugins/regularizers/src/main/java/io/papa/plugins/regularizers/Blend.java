package io.papa.plugins.regularizers;

import ai.djl.ndarray.NDArray;

/** The pairing both mixing regularisers share: sample i is mixed with sample B-1-i (timm's x.flip(0)). */
final class Blend {

    private Blend() {
    }

    /** {@code lam * x + (1 - lam) * flip(x)} along the batch axis, as a new array. */
    static NDArray withFlipped(NDArray x, double lam) {
        try (NDArray partner = x.flip(0)) {
            partner.muli(1 - lam);
            return x.mul(lam).addi(partner);
        }
    }
}
