package io.papa.plugins.regularizers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * CutMix as timm's {@code Mixup} does it in mode 'batch' with correct_lam=True: lambda ~
 * Beta(alpha, alpha) sets the box side ratio sqrt(1 - lambda) ({@code rand_bbox}, centre uniform,
 * clipped to the image), one box for the whole batch is pasted from sample B-1-i into sample i, and
 * the targets are blended with lambda recomputed from the clipped box's area.
 */
@Extension
public final class CutMix implements Regularizer {

    @Override
    public String id() {
        return "cutmix";
    }

    @Override
    public String description() {
        return "CutMix: paste a box from the batch's mirrored partner, box side sqrt(1 - lambda), lambda ~ Beta(alpha, alpha)";
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
        NDArray images = batch.images();
        Checks.imageBatch(id(), images);
        Checks.targets(id(), batch.targets());
        Shape shape = images.getShape();
        int height = Math.toIntExact(shape.get(2));
        int width = Math.toIntExact(shape.get(3));

        double lam = BetaDistribution.sample(alpha, alpha, random);
        double ratio = Math.sqrt(1 - lam);
        int cutH = (int) (height * ratio);
        int cutW = (int) (width * ratio);
        int cy = random.nextInt(height);
        int cx = random.nextInt(width);
        int y1 = clip(cy - cutH / 2, height);
        int y2 = clip(cy + cutH / 2, height);
        int x1 = clip(cx - cutW / 2, width);
        int x2 = clip(cx + cutW / 2, width);
        int boxArea = (y2 - y1) * (x2 - x1);

        NDArray mixed = images.duplicate();
        if (boxArea > 0) {
            NDIndex box = new NDIndex().addAllDim(2).addSliceDim(y1, y2).addSliceDim(x1, x2);
            // flipping only the box equals taking the box of the flipped batch, for less work
            try (NDArray patch = images.get(box); NDArray partnerPatch = patch.flip(0)) {
                mixed.set(box, partnerPatch);
            }
        }
        double correctedLam = 1 - (double) boxArea / ((double) height * width);
        return new Batch(mixed, Blend.withFlipped(batch.targets(), correctedLam));
    }

    private static int clip(int value, int size) {
        return Math.max(0, Math.min(size, value));
    }
}
