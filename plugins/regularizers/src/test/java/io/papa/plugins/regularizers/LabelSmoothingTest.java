package io.papa.plugins.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.papa.api.Options;
import io.papa.api.Regularizer.Batch;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelSmoothingTest {

    private final LabelSmoothing smoothing = new LabelSmoothing();
    private final Options none = Options.none("label-smoothing");

    @Test
    void oneHotBecomesOneMinusSPlusSOverKOnTheLabelAndSOverKElsewhere() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int k = 10;
            int[] labels = {3, 0, 9};
            double s = 0.1;
            Batch batch = new Batch(TestBatches.randomImages(manager, 3, 1, 2, 2, 1),
                    TestBatches.oneHot(manager, labels, k));
            Batch out = smoothing.transformBatch(batch, s, none, new SplittableRandom(1));
            float[][] targets = TestBatches.rows(out.targets());
            for (int i = 0; i < labels.length; i++) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    double expected = c == labels[i] ? 1 - s + s / k : s / k;
                    assertEquals(expected, targets[i][c], 1e-6);
                    sum += targets[i][c];
                }
                assertEquals(1.0, sum, 1e-5);
            }
            assertSame(batch.images(), out.images());
        }
    }

    @Test
    void softTargetsAreSmoothedLinearly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, 4, 1, 2, 2, 5, 8);
            Batch out = smoothing.transformBatch(batch, 0.3, none, new SplittableRandom(1));
            float[][] y = TestBatches.rows(batch.targets());
            float[][] smoothed = TestBatches.rows(out.targets());
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 5; c++) {
                    assertEquals(y[i][c] * 0.7 + 0.3 / 5, smoothed[i][c], 1e-6);
                }
            }
        }
    }

    @Test
    void zeroIsInactiveAndOutOfRangeIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Batch batch = TestBatches.random(manager, 2, 1, 2, 2, 3, 1);
            assertFalse(smoothing.isActive(0));
            assertSame(batch, smoothing.transformBatch(batch, 0, none, new SplittableRandom(1)));
            assertThrows(IllegalArgumentException.class,
                    () -> smoothing.transformBatch(batch, 1.5, none, new SplittableRandom(1)));
        }
    }
}
