package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.papa.api.Options;
import io.papa.api.Regularizer.Batch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CutMixTest {

    private static final int B = 4;
    private static final int C = 3;
    private static final int H = 16;
    private static final int W = 12;
    private static final int K = 4;

    private final CutMix cutmix = new CutMix();
    private final Options none = Options.none("cutmix");

    /** The replaced region of one image, found by comparing with the input: [y1, y2) x [x1, x2). */
    private record Box(int y1, int y2, int x1, int x2) {
        int area() {
            return (y2 - y1) * (x2 - x1);
        }

        boolean contains(int y, int x) {
            return y >= y1 && y < y2 && x >= x1 && x < x2;
        }
    }

    @Test
    void replacesExactlyOneBoxWithThePartnersPixelsAndWeighsTargetsByTheUnreplacedArea() {
        int nonEmpty = 0;
        int touchingBorder = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            int[] labels = {0, 1, 2, 3};
            Batch batch = new Batch(TestBatches.randomImages(manager, B, C, H, W, 13),
                    TestBatches.oneHot(manager, labels, K));
            float[] x = batch.images().toFloatArray();
            for (long seed = 0; seed < 40; seed++) {
                Batch out = cutmix.transformBatch(batch, 1.0, none, new SplittableRandom(seed));
                float[] mixed = out.images().toFloatArray();
                float[][] targets = TestBatches.rows(out.targets());
                Box box = null;
                for (int i = 0; i < B; i++) {
                    Box mine = replacedBox(x, mixed, i);
                    box = box == null ? mine : box;
                    assertEquals(box, mine, "every image of the batch gets the same box");
                    double unreplaced = 1 - (double) mine.area() / (H * W);
                    assertEquals(unreplaced, targets[i][labels[i]], 1e-6);
                    assertEquals(1 - unreplaced, targets[i][labels[B - 1 - i]], 1e-6);
                }
                checkBoxAgainstLambda(box, BetaDistribution.sample(1.0, 1.0, new SplittableRandom(seed)));
                nonEmpty += box.area() > 0 ? 1 : 0;
                touchingBorder += box.area() > 0 && (box.y1 == 0 || box.x1 == 0 || box.y2 == H || box.x2 == W) ? 1 : 0;
            }
        }
        assertTrue(nonEmpty > 30, "most draws should cut a box, got " + nonEmpty);
        assertTrue(touchingBorder > 0, "some boxes should be clipped at the border");
    }

    /**
     * Checks, pixel by pixel, that image i equals its partner B-1-i inside one rectangle (all
     * channels) and itself outside, and returns that rectangle.
     */
    private static Box replacedBox(float[] x, float[] mixed, int i) {
        int per = C * H * W;
        int partner = B - 1 - i;
        int y1 = H;
        int y2 = 0;
        int x1 = W;
        int x2 = 0;
        for (int y = 0; y < H; y++) {
            for (int xx = 0; xx < W; xx++) {
                if (mixed[i * per + y * W + xx] != x[i * per + y * W + xx]) {
                    y1 = Math.min(y1, y);
                    y2 = Math.max(y2, y + 1);
                    x1 = Math.min(x1, xx);
                    x2 = Math.max(x2, xx + 1);
                }
            }
        }
        Box box = y1 < y2 ? new Box(y1, y2, x1, x2) : new Box(0, 0, 0, 0);
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int xx = 0; xx < W; xx++) {
                    int at = c * H * W + y * W + xx;
                    float expected = box.contains(y, xx) ? x[partner * per + at] : x[i * per + at];
                    assertEquals(expected, mixed[i * per + at], "image " + i + " channel " + c + " at " + y + "," + xx);
                }
            }
        }
        return box;
    }

    /** Box sides come from sqrt(1 - lambda) (timm rand_bbox), halved with integer division, then clipped. */
    private static void checkBoxAgainstLambda(Box box, double lam) {
        int cutH = (int) (H * Math.sqrt(1 - lam));
        int cutW = (int) (W * Math.sqrt(1 - lam));
        if (box.area() == 0) {
            return;
        }
        assertTrue(box.y2 - box.y1 <= 2 * (cutH / 2));
        assertTrue(box.x2 - box.x1 <= 2 * (cutW / 2));
        if (box.y1 > 0 && box.y2 < H) {
            assertEquals(2 * (cutH / 2), box.y2 - box.y1);
        }
        if (box.x1 > 0 && box.x2 < W) {
            assertEquals(2 * (cutW / 2), box.x2 - box.x1);
        }
    }

    @Test
    void softTargetsAreMixedLinearlyWithTheAreaLambda() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, 5, 3);
            float[] x = batch.images().toFloatArray();
            Batch out = cutmix.transformBatch(batch, 0.5, none, new SplittableRandom(4));
            float[][] y = TestBatches.rows(batch.targets());
            float[][] mixed = TestBatches.rows(out.targets());
            Box box = replacedBox(x, out.images().toFloatArray(), 0);
            double lam = 1 - (double) box.area() / (H * W);
            for (int i = 0; i < B; i++) {
                for (int k = 0; k < 5; k++) {
                    assertEquals(lam * y[i][k] + (1 - lam) * y[B - 1 - i][k], mixed[i][k], 1e-6);
                }
            }
        }
    }

    @Test
    void inputsAreLeftUntouchedAndSameSeedGivesIdenticalOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 9);
            float[] images = batch.images().toFloatArray();
            Batch a = cutmix.transformBatch(batch, 1.0, none, new SplittableRandom(3));
            Batch b = cutmix.transformBatch(batch, 1.0, none, new SplittableRandom(3));
            assertArrayEquals(images, batch.images().toFloatArray());
            assertArrayEquals(a.images().toFloatArray(), b.images().toFloatArray());
            assertArrayEquals(a.targets().toFloatArray(), b.targets().toFloatArray());
        }
    }

    @Test
    void alphaZeroIsInactiveAndReturnsTheBatchUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, B, C, H, W, K, 2);
            assertFalse(cutmix.isActive(0));
            assertSame(batch, cutmix.transformBatch(batch, 0, none, new SplittableRandom(1)));
        }
    }
}
