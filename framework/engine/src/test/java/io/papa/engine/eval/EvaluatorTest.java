package io.papa.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.papa.api.ImageShape;
import io.papa.api.LabeledImages;
import io.papa.api.Network;
import io.papa.engine.data.ImageBatches;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluation against hand-computed numbers: two "networks" that answer with fixed logits per image
 * (the image's pixel is its index), over 6 images in batches of 4 and 2.
 */
class EvaluatorTest {

    private static final int[] LABELS = {0, 1, 2, 0, 1, 2};
    /** Network A: right on images 0, 1, 2, 3; wrong on 4 and 5. */
    private static final float[][] A = {
        {2, 0, 0}, {0, 3, 0}, {0, 0, 1}, {1, 0, 0}, {2, 0, 0}, {0, 2, 0},
    };
    /** Network B: right on images 2, 4, 5 and (confidently) wrong on 0, 1, 3. */
    private static final float[][] B = {
        {0, 0, 1}, {4, 0, 0}, {0, 0, 3}, {0, 5, 0}, {0, 4, 0}, {0, 0, 3},
    };

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static final class TableNetwork implements Network {
        private final float[][] logits;

        TableNetwork(float[][] logits) {
            this.logits = logits;
        }

        @Override
        public Block block() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Parameter> parameters() {
            return Map.of();
        }

        @Override
        public NDArray forward(NDArray images, boolean training) {
            float[] pixels = images.toFloatArray();
            float[] out = new float[pixels.length * 3];
            for (int b = 0; b < pixels.length; b++) {
                System.arraycopy(logits[Math.round(pixels[b])], 0, out, b * 3, 3);
            }
            return images.getManager().create(out, new Shape(pixels.length, 3));
        }
    }

    private static ImageBatches images() {
        LabeledImages images = new LabeledImages() {
            @Override
            public int size() {
                return LABELS.length;
            }

            @Override
            public ImageShape shape() {
                return new ImageShape(1, 1, 1);
            }

            @Override
            public int label(int index) {
                return LABELS[index];
            }

            @Override
            public void read(int index, float[] destination, int offset) {
                destination[offset] = index;
            }
        };
        return new ImageBatches(images, new float[] {0}, new float[] {1});
    }

    private static double crossEntropy(float[][] logits) {
        double sum = 0;
        for (int i = 0; i < LABELS.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits[i]) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (float v : logits[i]) {
                z += Math.exp(v - max);
            }
            sum -= logits[i][LABELS[i]] - max - Math.log(z);
        }
        return sum / LABELS.length;
    }

    @Test
    void accuracyLossAndTheLogitEnsembleMatchHandComputedValues() {
        Scores scores = Evaluator.evaluate(List.of(new TableNetwork(A), new TableNetwork(B)), images(), 4, manager,
                Device.cpu());
        assertEquals(6, scores.images());
        assertArrayEquals(new double[] {4 / 6.0, 3 / 6.0}, scores.accuracy(), 1e-12);
        assertEquals(crossEntropy(A), scores.loss()[0], 1e-5);
        assertEquals(crossEntropy(B), scores.loss()[1], 1e-5);
        // summed logits A + B: {2,0,1} ok, {4,3,0} wrong, {0,0,4} ok, {1,5,0} wrong, {2,4,0} ok, {0,2,3} ok
        assertEquals(4 / 6.0, scores.ensembleAccuracy(), 1e-12);
        assertEquals(7 / 12.0, scores.mean(), 1e-12);
        assertEquals(0.5, scores.min(), 1e-12);
        assertEquals(4 / 6.0, scores.max(), 1e-12);
    }

    @Test
    void theBatchSizeDoesNotChangeTheResult() {
        List<Network> networks = List.of(new TableNetwork(A), new TableNetwork(B));
        Scores whole = Evaluator.evaluate(networks, images(), 256, manager, Device.cpu());
        for (int batch : new int[] {1, 4, 5}) {
            Scores split = Evaluator.evaluate(networks, images(), batch, manager, Device.cpu());
            assertArrayEquals(whole.accuracy(), split.accuracy(), 1e-12, "batch " + batch);
            assertArrayEquals(whole.loss(), split.loss(), 1e-5, "batch " + batch);
            assertEquals(whole.ensembleAccuracy(), split.ensembleAccuracy(), 1e-12, "batch " + batch);
        }
    }

    @Test
    void evaluationLeavesNoArraysBehind() {
        long before = manager.getManagedArrays().size();
        Evaluator.evaluate(List.of(new TableNetwork(A)), images(), 4, manager, Device.cpu());
        assertEquals(before, manager.getManagedArrays().size(), "per-batch arrays were not released");
    }
}
