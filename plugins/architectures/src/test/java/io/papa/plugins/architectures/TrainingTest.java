package io.papa.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingTest {

    @ParameterizedTest
    @ValueSource(strings = {"resnet20", "resnet18", "vgg11"})
    void gradientsReachEveryTrainableParameter(String id) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Nets.initialized(manager, Nets.byId(id), Nets.CIFAR, 10,
                    id.equals("resnet20") ? Map.of() : Map.of("width", "8"));
            NDArray images = manager.randomNormal(new Shape(4, 3, 32, 32));
            NDArray labels = manager.create(new int[] {0, 3, 5, 9});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = Nets.forward(manager, net, images, true);
                collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)));
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (!Nets.isRunningStatistic(p.getValue())) {
                    NDArray gradient = p.getValue().getArray().getGradient();
                    assertTrue(gradient.abs().sum().getFloat() > 0, "no gradient for " + p.getKey());
                }
            }
        }
    }

    /**
     * Ten textures (two stripe periods times five orientations, random phase, noise): the small CNN
     * must tell them apart after a few dozen SGD steps at the learning rate quick runs use.
     */
    @Test
    void cnnLearnsATenClassTaskInAFewDozenSgdSteps() {
        Engine.getInstance().setRandomSeed(5);
        try (Model model = Model.newInstance("cnn")) {
            NDManager manager = model.getNDManager();
            model.setBlock(Nets.build(new Cnn(), Nets.MNIST, 10, Map.of("width", "16")));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(32, 1, 28, 28));
                for (int step = 0; step < 40; step++) {
                    try (NDManager batchManager = manager.newSubManager()) {
                        NDArray labels = batchManager.randomInteger(0, 10, new Shape(32), DataType.INT32);
                        NDArray images = stripes(labels, batchManager);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(images)).singletonOrThrow();
                            collector.backward(trainer.getLoss().evaluate(new NDList(labels), new NDList(logits)));
                        }
                        trainer.step();
                    }
                }
                try (NDManager testManager = manager.newSubManager()) {
                    NDArray labels = testManager.arange(200).toType(DataType.INT32, false).mod(10);
                    NDArray predicted = trainer.evaluate(new NDList(stripes(labels, testManager)))
                            .singletonOrThrow().argMax(1).toType(DataType.INT32, false);
                    float accuracy = predicted.eq(labels).toType(DataType.FLOAT32, false).mean().getFloat();
                    assertTrue(accuracy > 0.9f, "test accuracy " + accuracy);
                }
            }
        }
    }

    /** Class k: stripes of period 4 (k < 5) or 8 pixels at angle 36 * (k % 5) degrees, random phase, noise. */
    private static NDArray stripes(NDArray labels, NDManager manager) {
        int[] classes = labels.toIntArray();
        NDArray rows = manager.arange(28f).reshape(28, 1);
        NDArray cols = manager.arange(28f).reshape(1, 28);
        NDList images = new NDList();
        NDArray phases = manager.randomUniform(0f, (float) (2 * Math.PI), new Shape(classes.length));
        for (int i = 0; i < classes.length; i++) {
            double angle = Math.toRadians(36 * (classes[i] % 5));
            double period = classes[i] < 5 ? 4 : 8;
            NDArray along = cols.mul(Math.cos(angle)).add(rows.mul(Math.sin(angle)));
            images.add(along.mul(2 * Math.PI / period).add(phases.getFloat(i)).sin().mul(0.5f).add(0.5f));
        }
        NDArray clean = NDArrays.stack(images).reshape(classes.length, 1, 28, 28);
        return clean.add(manager.randomNormal(0f, 0.3f, clean.getShape(), DataType.FLOAT32));
    }
}
