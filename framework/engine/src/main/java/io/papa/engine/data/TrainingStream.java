package io.papa.engine.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.papa.api.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One member's endless stream of training batches: its own shuffled order every epoch, its own
 * regularisers. Every random draw derives from (seed, epoch) for the order and (seed, batch number)
 * for the augmentation, so the stream's whole state is its position: a resumed run sees exactly
 * the batches an uninterrupted one would.
 */
public final class TrainingStream {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final ImageBatches source;
    private final int batchSize;
    private final int numClasses;
    private final List<RegularizerStep> pipeline;
    private final long seed;
    private int epoch;
    private int batchInEpoch;
    private int[] order;

    public TrainingStream(ImageBatches source, int batchSize, int numClasses, List<RegularizerStep> pipeline, long seed) {
        if (source.images().size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        this.source = source;
        this.batchSize = batchSize;
        this.numClasses = numClasses;
        this.pipeline = List.copyOf(pipeline);
        this.seed = seed;
        seek(0, 0);
    }

    /** Batches per epoch; the last one is smaller when the size is not a multiple (drop_last=False). */
    public int batchesPerEpoch() {
        return (source.images().size() + batchSize - 1) / batchSize;
    }

    public int epoch() {
        return epoch;
    }

    public int batchInEpoch() {
        return batchInEpoch;
    }

    /** Continues from batch {@code batch} of epoch {@code epochIndex}. */
    public void seek(int epochIndex, int batch) {
        epoch = epochIndex;
        batchInEpoch = batch;
        order = permutation(source.images().size(), new SplittableRandom(mix(seed, epochIndex)));
    }

    public Regularizer.Batch next(NDManager manager, Device device) {
        if (batchInEpoch >= batchesPerEpoch()) {
            seek(epoch + 1, 0);
        }
        int from = batchInEpoch * batchSize;
        int to = Math.min(from + batchSize, order.length);
        int[] indices = new int[to - from];
        System.arraycopy(order, from, indices, 0, indices.length);
        long batchNumber = (long) epoch * batchesPerEpoch() + batchInEpoch;
        SplittableRandom random = new SplittableRandom(mix(seed ^ GOLDEN, batchNumber));
        batchInEpoch++;

        NDArray images = source.read(indices, manager, device, pipeline, random);
        NDArray targets = oneHot(source.labels(indices), manager).toDevice(device, false);
        Regularizer.Batch batch = new Regularizer.Batch(images, targets);
        for (RegularizerStep step : pipeline) {
            if (step.stage() == Regularizer.Stage.TARGETS && step.active()) {
                batch = step.regularizer().transformBatch(batch, step.strength(), step.options(), random);
            }
        }
        List<RegularizerStep> mixers = new ArrayList<>();
        for (RegularizerStep step : pipeline) {
            if (step.stage() == Regularizer.Stage.MIX && step.active()) {
                mixers.add(step);
            }
        }
        if (!mixers.isEmpty()) {
            RegularizerStep mixer = mixers.get(mixers.size() == 1 ? 0 : random.nextInt(mixers.size()));
            batch = mixer.regularizer().transformBatch(batch, mixer.strength(), mixer.options(), random);
        }
        return batch;
    }

    private NDArray oneHot(int[] labels, NDManager manager) {
        float[] data = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            data[i * numClasses + labels[i]] = 1f;
        }
        return manager.create(data, new Shape(labels.length, numClasses));
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** A well-mixed seed for stream {@code index} of a run seeded with {@code seed}. */
    public static long mix(long seed, long index) {
        return new SplittableRandom(seed * GOLDEN + index).nextLong();
    }
}
