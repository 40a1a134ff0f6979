package io.papa.plugins.regularizers;

import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * Mixup as timm's {@code Mixup} does it in mode 'batch' (the reference's utils/mixup.py): one
 * lambda ~ Beta(alpha, alpha) per batch, sample i mixed with sample B-1-i, images and soft targets
 * blended with the same lambda. timm asserts an even batch; an odd one works here, its middle
 * sample being its own partner.
 */
@Extension
public final class Mixup implements Regularizer {

    @Override
    public String id() {
        return "mixup";
    }

    @Override
    public String description() {
        return "Mixup: blend each image and target with the batch's mirrored partner, lambda ~ Beta(alpha, alpha)";
    }

    @Override
    public Stage stage() {
        return Stage.MIX;
    }

    @Override
    public String strengthName() {
        return "alpha";
    }

    @Override
    public Batch transformBatch(Batch batch, double alpha, Options options, RandomGenerator random) {
        Checks.alpha(id(), alpha);
        if (!isActive(alpha)) {
            return batch;
        }
        Checks.imageBatch(id(), batch.images());
        Checks.targets(id(), batch.targets());
        double lam = BetaDistribution.sample(alpha, alpha, random);
        return new Batch(Blend.withFlipped(batch.images(), lam), Blend.withFlipped(batch.targets(), lam));
    }
}
