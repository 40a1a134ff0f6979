package io.papa.engine.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.papa.api.Aligner;
import io.papa.api.AlignmentContext;
import io.papa.api.MergeContext;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.Network;
import io.papa.api.Options;
import io.papa.engine.compute.Compute;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.eval.Evaluator;
import io.papa.engine.plugin.ProvidedExtension;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Runs one merge: the strategy decides a mixing matrix, the aligners see the parents, the matrix is
 * applied to every tensor in place, the aligners see the children. Optimiser state and data streams
 * stay with their slots.
 */
public final class MergeRunner {

    private static final long MERGE_STREAM = 0x4D45524745L;

    /** An aligner with its validated options. */
    public record ConfiguredAligner(ProvidedExtension<Aligner> aligner, Options options) {
    }

    private final Population population;
    private final ProvidedExtension<MergeStrategy> strategy;
    private final Options strategyOptions;
    private final List<ConfiguredAligner> aligners;

    public MergeRunner(Population population, ProvidedExtension<MergeStrategy> strategy, Options strategyOptions,
            List<ConfiguredAligner> aligners) {
        this.population = population;
        this.strategy = strategy;
        this.strategyOptions = strategyOptions;
        this.aligners = List.copyOf(aligners);
    }

    public ProvidedExtension<MergeStrategy> strategy() {
        return strategy;
    }

    public List<ConfiguredAligner> aligners() {
        return aligners;
    }

    /** Decides and applies a merge at the current step; returns what happened. */
    public MergeRecord merge(int epoch) {
        Compute.noGradOnThisThread();
        long started = System.nanoTime();
        RandomGenerator random = random();
        Context context = new Context(epoch, random);
        MixingMatrix mixing = decide(context);
        apply(mixing, random, context);
        return new MergeRecord(epoch, population.step(), strategy.id(), mixing.description(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * The strategy's decision at the current step, the one {@link #merge} would apply, without
     * applying it: for a population held in another layout (a fused network mixes it itself).
     */
    public MixingMatrix decide(int epoch) {
        Compute.noGradOnThisThread();
        return decide(new Context(epoch, random()));
    }

    private RandomGenerator random() {
        return new SplittableRandom(TrainingStream.mix(population.config().seed() ^ MERGE_STREAM, population.step()));
    }

    private MixingMatrix decide(Context context) {
        MixingMatrix mixing = strategy.extension().mix(context);
        if (mixing.size() != population.size()) {
            throw new IllegalStateException("merge strategy '" + strategy.id() + "' returned a " + mixing.size()
                    + "x" + mixing.size() + " matrix for " + population.size() + " members");
        }
        return mixing;
    }

    /** Applies a merge decision to the population in place, with the configured aligners around it. */
    private void apply(MixingMatrix mixing, RandomGenerator random, MergeContext context) {
        if (mixing.isIdentity()) {
            return;
        }
        // a fused population mixes its fused tensors in place: no copy out to the members and back
        if (aligners.isEmpty() && !strategy.extension().combinesTensors() && population.mixFused(mixing)) {
            return;
        }
        double[][] weights = new double[mixing.size()][];
        for (int k = 0; k < mixing.size(); k++) {
            weights[k] = mixing.row(k);
        }
        mixAligned(population, aligners, weights, population.members(), true, random.nextLong(), true);
    }

    /**
     * Runs {@code aligners} with every member as its own only parent and nothing mixed: permutation
     * alignment of every member to member 0 (each keeps its function), or REPAIR that recalibrates
     * each member to its own statistics. Calibration batches derive from the seed, the step and
     * {@code label}, so the operation is repeatable.
     */
    public MergeRecord realign(int epoch, String label, List<ConfiguredAligner> aligners) {
        Compute.noGradOnThisThread();
        long started = System.nanoTime();
        int n = population.size();
        double[][] identity = new double[n][n];
        for (int k = 0; k < n; k++) {
            identity[k][k] = 1;
        }
        long seed = TrainingStream.mix(population.config().seed() ^ MERGE_STREAM ^ label.hashCode(), population.step());
        mixAligned(population, aligners, identity, population.members(), true, seed, false);
        String ids = String.join(", ", aligners.stream().map(a -> a.aligner().id() + a.options()).toList());
        return new MergeRecord(epoch, population.step(), label, "every member on its own: " + ids,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Builds {@code sum_j weights[j] * member_j} into the population's scratch network, with
     * {@code soupAligners} around the mixing (permutation alignment of the members, REPAIR of the soup).
     */
    public static Member soup(Population population, double[] weights, List<ConfiguredAligner> soupAligners) {
        Member scratch = population.scratch();
        mixAligned(population, soupAligners, new double[][] {weights}, List.of(scratch), false,
                TrainingStream.mix(population.config().seed() ^ MERGE_STREAM, -1), true);
        return scratch;
    }

    private static void mixAligned(Population population, List<ConfiguredAligner> aligners, double[][] weights,
            List<Member> children, boolean inPlace, long seed, boolean mix) {
        try (Alignment alignment = new Alignment(population, weights, children, inPlace, seed)) {
            alignment.mixed = false;
            for (ConfiguredAligner configured : aligners) {
                alignment.options = configured.options();
                configured.aligner().extension().beforeMixing(alignment);
            }
            if (mix) {
                Mixer.mix(population.members(), weights, children);
            }
            alignment.mixed = true;
            for (ConfiguredAligner configured : aligners) {
                alignment.options = configured.options();
                configured.aligner().extension().afterMixing(alignment);
            }
        }
    }

    private final class Context implements MergeContext {
        private final int epoch;
        private final RandomGenerator random;

        Context(int epoch, RandomGenerator random) {
            this.epoch = epoch;
            this.random = random;
        }

        @Override
        public int populationSize() {
            return population.size();
        }

        @Override
        public Options options() {
            return strategyOptions;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public int epoch() {
            return epoch;
        }

        @Override
        public long step() {
            return population.step();
        }

        @Override
        public double learningRateRatio() {
            return population.learningRateRatio();
        }

        @Override
        public double validationAccuracy(double[] weights) {
            return MergeRunner.validationAccuracy(population, weights);
        }
    }

    /** Validation accuracy of the soup {@code sum_j weights[j] * member_j}, built in the scratch network. */
    public static double validationAccuracy(Population population, double[] weights) {
        if (population.validationImages() == null) {
            throw new IllegalStateException("validation accuracy needs held-out data: set val_perc > 0");
        }
        Member scratch = population.scratch();
        Mixer.mix(population.members(), new double[][] {weights}, List.of(scratch));
        return Evaluator.evaluate(List.of(scratch), population.validationImages(), population.config().evalBatchSize(),
                population.manager(), population.device()).accuracy()[0];
    }

    private static final class Alignment implements AlignmentContext, AutoCloseable {
        private final Population population;
        private final double[][] weights;
        private final List<Member> children;
        private final boolean inPlace;
        private final long seed;
        private final Map<String, Object> state = new LinkedHashMap<>();
        private final NDManager scope;
        private Options options;
        private boolean mixed;
        private List<NDArray> batches = List.of();

        Alignment(Population population, double[][] weights, List<Member> children, boolean inPlace, long seed) {
            this.population = population;
            this.weights = weights;
            this.children = children;
            this.inPlace = inPlace;
            this.seed = seed;
            this.scope = population.manager().newSubManager(population.device());
        }

        @Override
        public Options options() {
            return options;
        }

        @Override
        public int parentCount() {
            return population.size();
        }

        @Override
        public Network parent(int j) {
            if (mixed && inPlace) {
                throw new IllegalStateException("after an in-place merge the parents are gone; keep what you need"
                        + " from them in state() during beforeMixing");
            }
            return population.members().get(j);
        }

        @Override
        public boolean parentsSurvive() {
            return !inPlace;
        }

        @Override
        public int childCount() {
            return children.size();
        }

        @Override
        public Network child(int k) {
            if (!mixed) {
                throw new IllegalStateException("children exist only after mixing (afterMixing)");
            }
            return children.get(k);
        }

        @Override
        public double weight(int child, int parent) {
            return weights[child][parent];
        }

        @Override
        public List<NDArray> calibrationBatches(int count) {
            if (batches.size() < count) {
                SplittableRandom random = new SplittableRandom(seed);
                int size = population.trainImages().images().size();
                int batchSize = population.config().batchSize();
                List<NDArray> read = new ArrayList<>();
                for (int b = 0; b < count; b++) {
                    int[] indices = random.ints(Math.min(batchSize, size), 0, size).toArray();
                    read.add(population.trainImages().read(indices, scope, population.device(), List.of(), random));
                }
                batches = read;
            }
            return batches.subList(0, count);
        }

        @Override
        public Map<String, Object> state() {
            return state;
        }

        @Override
        public void close() {
            for (Object value : state.values()) {
                if (value instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot release aligner state", e);
                    }
                }
            }
            scope.close();
        }
    }
}
