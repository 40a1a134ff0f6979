package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.papa.api.Options;
import io.papa.api.Regularizer.Batch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixupTest {

    private static final int B = 6;
    private static final int C = 3;
    private static final int H = 5;
    private static final int W = 4;
    private static final int K = 10;

    private final Mixup mixup = new Mixup();
    private final Options none = Options.none("mixup");

    @Test
    void mixedImagesAreLambdaTimesImagePlusOneMinusLambdaTimesMirroredPartner() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 3);
            Batch out = mixup.transformBatch(batch, 0.4, none, new SplittableRandom(21));
            // lambda is the first Beta draw of the generator
            double lam = BetaDistribution.sample(0.4, 0.4, new SplittableRandom(21));
            float[] x = batch.images().toFloatArray();
            float[] mixed = out.images().toFloatArray();
            int per = C * H * W;
            for (int i = 0; i < B; i++) {
                int partner = B - 1 - i;
                for (int j = 0; j < per; j++) {
                    double expected = lam * x[i * per + j] + (1 - lam) * x[partner * per + j];
                    assertEquals(expected, mixed[i * per + j], 1e-5);
                }
            }
            assertEquals(new Shape(B, C, H, W), out.images().getShape());
            assertEquals(DataType.FLOAT32, out.images().getDataType());
        }
    }

    @Test
    void targetsSumToOneAndWeighTheLabelsOfIAndItsPartnerByTheLambdaSeenInTheImages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int[] labels = {0, 1, 2, 3, 4, 5};
            Batch batch = new Batch(TestBatches.randomImages(manager, B, C, H, W, 8),
                    TestBatches.oneHot(manager, labels, K));
            for (long seed = 0; seed < 5; seed++) {
                Batch out = mixup.transformBatch(batch, 1.0, none, new SplittableRandom(seed));
                float[] x = batch.images().toFloatArray();
                float[] mixed = out.images().toFloatArray();
                float[][] targets = TestBatches.rows(out.targets());
                int per = C * H * W;
                for (int i = 0; i < B; i++) {
                    int partner = B - 1 - i;
                    // least squares for lambda in mixed - x_p = lambda (x_i - x_p)
                    double num = 0;
                    double den = 0;
                    for (int j = 0; j < per; j++) {
                        double d = x[i * per + j] - x[partner * per + j];
                        num += (mixed[i * per + j] - x[partner * per + j]) * d;
                        den += d * d;
                    }
                    double lam = num / den;
                    double sum = 0;
                    for (float t : targets[i]) {
                        sum += t;
                    }
                    assertEquals(1.0, sum, 1e-5);
                    assertEquals(lam, targets[i][labels[i]], 1e-4);
                    assertEquals(1 - lam, targets[i][labels[partner]], 1e-4);
                }
            }
        }
    }

    @Test
    void mixingIsLinearInTheGivenSoftTargets() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 4);
            Batch out = mixup.transformBatch(batch, 0.2, none, new SplittableRandom(8));
            double lam = BetaDistribution.sample(0.2, 0.2, new SplittableRandom(8));
            float[][] y = TestBatches.rows(batch.targets());
            float[][] mixed = TestBatches.rows(out.targets());
            for (int i = 0; i < B; i++) {
                for (int k = 0; k < K; k++) {
                    assertEquals(lam * y[i][k] + (1 - lam) * y[B - 1 - i][k], mixed[i][k], 1e-6);
                }
            }
        }
    }

    @Test
    void inputsAreLeftUntouched() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 5);
            float[] images = batch.images().toFloatArray();
            float[] targets = batch.targets().toFloatArray();
            mixup.transformBatch(batch, 1.0, none, new SplittableRandom(1));
            assertArrayEquals(images, batch.images().toFloatArray());
            assertArrayEquals(targets, batch.targets().toFloatArray());
        }
    }

    @Test
    void sameSeedGivesIdenticalOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 6);
            Batch a = mixup.transformBatch(batch, 0.5, none, new SplittableRandom(77));
            Batch b = mixup.transformBatch(batch, 0.5, none, new SplittableRandom(77));
            assertArrayEquals(a.images().toFloatArray(), b.images().toFloatArray());
            assertArrayEquals(a.targets().toFloatArray(), b.targets().toFloatArray());
        }
    }

    @Test
    void alphaZeroIsInactiveAndReturnsTheBatchUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 7);
            assertFalse(mixup.isActive(0));
            assertSame(batch, mixup.transformBatch(batch, 0, none, new SplittableRandom(1)));
        }
    }

    @Test
    void negativeAlphaIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 7);
            assertThrows(IllegalArgumentException.class,
                    () -> mixup.transformBatch(batch, -0.1, none, new SplittableRandom(1)));
        }
    }
}
