package io.papa.plugins.merges;

import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.Options;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

/** A merge context without networks: seeded randomness and a validation accuracy given as a function. */
final class TestContext implements MergeContext {

    private final int populationSize;
    private final Options options;
    private final RandomGenerator random;
    private double learningRateRatio = 1;
    private ToDoubleFunction<double[]> accuracy = weights -> 0.5;
    private int accuracyCalls;

    private TestContext(int populationSize, Options options, long seed) {
        this.populationSize = populationSize;
        this.options = options;
        this.random = new SplittableRandom(seed);
    }

    static TestContext of(MergeStrategy strategy, int populationSize, long seed) {
        return of(strategy, populationSize, seed, Map.of());
    }

    static TestContext of(MergeStrategy strategy, int populationSize, long seed, Map<String, String> options) {
        return new TestContext(populationSize, Options.resolve(strategy.id(), strategy.options(), options), seed);
    }

    TestContext learningRateRatio(double ratio) {
        this.learningRateRatio = ratio;
        return this;
    }

    TestContext accuracy(ToDoubleFunction<double[]> function) {
        this.accuracy = function;
        return this;
    }

    int accuracyCalls() {
        return accuracyCalls;
    }

    static double[][] rows(MixingMatrix matrix) {
        double[][] rows = new double[matrix.size()][];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = matrix.row(k);
        }
        return rows;
    }

    /** Pearson's statistic of observed counts against expected counts. */
    static double chiSquare(long[] observed, double[] expected) {
        double statistic = 0;
        for (int i = 0; i < observed.length; i++) {
            double d = observed[i] - expected[i];
            statistic += d * d / expected[i];
        }
        return statistic;
    }

    @Override
    public int populationSize() {
        return populationSize;
    }

    @Override
    public Options options() {
        return options;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public int epoch() {
        return 0;
    }

    @Override
    public long step() {
        return 0;
    }

    @Override
    public double learningRateRatio() {
        return learningRateRatio;
    }

    @Override
    public double validationAccuracy(double[] weights) {
        accuracyCalls++;
        return accuracy.applyAsDouble(weights.clone());
    }
}
