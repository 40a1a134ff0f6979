package io.papa.engine.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.papa.api.Network;
import io.papa.engine.compute.Compute;
import io.papa.engine.data.ImageBatches;
import java.util.List;

/** Inference-mode evaluation: each batch is read once and fed to every network. */
public final class Evaluator {

    private Evaluator() {
    }

    public static Scores evaluate(List<? extends Network> networks, ImageBatches data, int batchSize,
            NDManager manager, Device device) {
        Compute.noGradOnThisThread();
        int n = networks.size();
        int total = data.images().size();
        long[] correct = new long[n];
        double[] lossSum = new double[n];
        long ensembleCorrect = 0;
        for (int from = 0; from < total; from += batchSize) {
            int[] indices = new int[Math.min(batchSize, total - from)];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = from + i;
            }
            try (NDManager batch = manager.newSubManager(device)) {
                NDArray images = data.read(indices, batch, device, List.of(), null);
                NDArray labels = batch.create(data.labels(indices)).toDevice(device, false);
                NDArray logitSum = null;
                for (int k = 0; k < n; k++) {
                    NDArray logits = networks.get(k).forward(images, false);
                    correct[k] += logits.argMax(1).toType(DataType.INT32, false).eq(labels).countNonzero().getLong();
                    NDArray logProbabilities = logits.logSoftmax(1);
                    lossSum[k] -= logProbabilities.gather(labels.toType(DataType.INT64, false).expandDims(1), 1)
                            .sum().getFloat();
                    logitSum = logitSum == null ? logits : logitSum.add(logits);
                }
                ensembleCorrect += logitSum.argMax(1).toType(DataType.INT32, false).eq(labels).countNonzero().getLong();
            }
        }
        double[] accuracy = new double[n];
        double[] loss = new double[n];
        for (int k = 0; k < n; k++) {
            accuracy[k] = total == 0 ? 0 : (double) correct[k] / total;
            loss[k] = total == 0 ? 0 : lossSum[k] / total;
        }
        return new Scores(accuracy, loss, total == 0 ? 0 : (double) ensembleCorrect / total, total);
    }
}
