package io.papa.engine.population;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a population run, with the reference's names and defaults (see
 * docs/papa-reference.md §1). Built and validated by {@link Builder}; recorded whole in every
 * result and checkpoint.
 *
 * @param regularization value lists per regulariser id; the Cartesian product is shared out among members
 * @param augmentation per-image augmentation for every member; {@code null} = the dataset's standard one
 * @param aligners aligner ids with their options, run around every merge in this order
 * @param soupAligners aligners run when the final soups are built (the reference's permutation and repair_soup)
 * @param pretrained where every member starts from ({@link io.papa.engine.weights.Pretrained}); {@code null} = random init
 * @param linearProbe fraction of the epochs that train only the classifier head (rounded up to whole epochs)
 * @param stepPath how a population step runs: {@code per-member} (each member's own forward and
 *     backward) or {@code fused} (all members as one network, {@link io.papa.engine.fused}); the
 *     results agree to float tolerance, the speed and memory differ by machine
 */
public record PopulationConfig(
        String dataset,
        Map<String, String> datasetOptions,
        String architecture,
        Map<String, String> architectureOptions,
        int nPop,
        int epochs,
        int batchSize,
        String optimizer,
        double lr,
        double lrMin,
        double momentum,
        double weightDecay,
        String lrScheduler,
        List<Double> multistepMilestones,
        double multistepGamma,
        Map<String, List<Double>> regularization,
        List<String> augmentation,
        double valFraction,
        long seed,
        String device,
        String mergeStrategy,
        Map<String, String> mergeOptions,
        int everyKEpochs,
        int emaEveryK,
        List<Double> rangeMerge,
        boolean mixFromStart,
        Map<String, Map<String, String>> aligners,
        Map<String, Map<String, String>> soupAligners,
        boolean sameInit,
        boolean evalEveryEpoch,
        int evalBatchSize,
        String pretrained,
        double linearProbe,
        String stepPath) {

    /** The step paths, the default first. */
    public static final List<String> STEP_PATHS = List.of("per-member", "fused");

    public PopulationConfig {
        // configurations recorded before the step path existed ran per member
        stepPath = stepPath == null ? STEP_PATHS.get(0) : stepPath;
        datasetOptions = Map.copyOf(datasetOptions);
        architectureOptions = Map.copyOf(architectureOptions);
        multistepMilestones = List.copyOf(multistepMilestones);
        regularization = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(regularization));
        augmentation = augmentation == null ? null : List.copyOf(augmentation);
        mergeOptions = Map.copyOf(mergeOptions);
        rangeMerge = List.copyOf(rangeMerge);
        aligners = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aligners));
        soupAligners = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(soupAligners));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataset = dataset;
        b.datasetOptions = new LinkedHashMap<>(datasetOptions);
        b.architecture = architecture;
        b.architectureOptions = new LinkedHashMap<>(architectureOptions);
        b.nPop = nPop;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.optimizer = optimizer;
        b.lr = lr;
        b.lrMin = lrMin;
        b.momentum = momentum;
        b.weightDecay = weightDecay;
        b.lrScheduler = lrScheduler;
        b.multistepMilestones = new ArrayList<>(multistepMilestones);
        b.multistepGamma = multistepGamma;
        b.regularization = new LinkedHashMap<>(regularization);
        b.augmentation = augmentation == null ? null : new ArrayList<>(augmentation);
        b.valFraction = valFraction;
        b.seed = seed;
        b.device = device;
        b.mergeStrategy = mergeStrategy;
        b.mergeOptions = new LinkedHashMap<>(mergeOptions);
        b.everyKEpochs = everyKEpochs;
        b.emaEveryK = emaEveryK;
        b.rangeMerge = new ArrayList<>(rangeMerge);
        b.mixFromStart = mixFromStart;
        b.aligners = new LinkedHashMap<>(aligners);
        b.soupAligners = new LinkedHashMap<>(soupAligners);
        b.sameInit = sameInit;
        b.evalEveryEpoch = evalEveryEpoch;
        b.evalBatchSize = evalBatchSize;
        b.pretrained = pretrained;
        b.linearProbe = linearProbe;
        b.stepPath = stepPath;
        return b;
    }

    /**
     * Epochs that train only the head: {@code ceil(linearProbe * epochs)}. The reference compares the
     * fraction with an integer epoch ({@code epoch == 0.04}), which never holds, so its backbone stays
     * frozen for the whole run; we unfreeze after these epochs, as intended.
     */
    public int linearProbeEpochs() {
        return (int) Math.ceil(linearProbe * epochs - 1e-9);
    }

    /** Builder with the reference defaults (main.py), except the dataset and network: the bundled digits and the small CNN. */
    public static final class Builder {
        private String dataset = "digits";
        private Map<String, String> datasetOptions = new LinkedHashMap<>();
        private String architecture = "cnn";
        private Map<String, String> architectureOptions = new LinkedHashMap<>();
        private int nPop = 2;
        private int epochs = 300;
        private int batchSize = 64;
        private String optimizer = "sgd";
        private double lr = 0.1;
        private double lrMin = 1e-4;
        private double momentum = 0.9;
        private double weightDecay = 1e-4;
        private String lrScheduler = "cosine";
        private List<Double> multistepMilestones = new ArrayList<>(List.of(0.5, 0.75));
        private double multistepGamma = 0.1;
        private Map<String, List<Double>> regularization = new LinkedHashMap<>();
        private List<String> augmentation;
        private double valFraction = 0.02;
        private long seed = 1;
        private String device = "auto";
        private String mergeStrategy = "avg";
        private Map<String, String> mergeOptions = new LinkedHashMap<>();
        private int everyKEpochs = 5;
        private int emaEveryK = 10;
        private List<Double> rangeMerge = new ArrayList<>(List.of(0.0, 1.0));
        private boolean mixFromStart = true;
        private Map<String, Map<String, String>> aligners = new LinkedHashMap<>();
        private Map<String, Map<String, String>> soupAligners = new LinkedHashMap<>();
        private boolean sameInit;
        private boolean evalEveryEpoch;
        private int evalBatchSize = 256;
        private String pretrained;
        private double linearProbe;
        private String stepPath = STEP_PATHS.get(0);

        public Builder dataset(String id, Map<String, String> options) {
            this.dataset = id;
            this.datasetOptions = new LinkedHashMap<>(options);
            return this;
        }

        public Builder architecture(String id, Map<String, String> options) {
            this.architecture = id;
            this.architectureOptions = new LinkedHashMap<>(options);
            return this;
        }

        public Builder nPop(int value) {
            this.nPop = value;
            return this;
        }

        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder optimizer(String value) {
            this.optimizer = value;
            return this;
        }

        public Builder lr(double value) {
            this.lr = value;
            return this;
        }

        public Builder lrMin(double value) {
            this.lrMin = value;
            return this;
        }

        public Builder momentum(double value) {
            this.momentum = value;
            return this;
        }

        public Builder weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        public Builder lrScheduler(String value) {
            this.lrScheduler = value;
            return this;
        }

        public Builder multistep(List<Double> milestones, double gamma) {
            this.multistepMilestones = new ArrayList<>(milestones);
            this.multistepGamma = gamma;
            return this;
        }

        /** Candidate strengths for one regulariser; the order of calls is the order of the Cartesian product. */
        public Builder regularization(String id, List<Double> values) {
            this.regularization.put(id, List.copyOf(values));
            return this;
        }

        /** Replaces the dataset's standard augmentation: specs {@code id} or {@code id:strength} or {@code id:strength:k=v;k=v}. */
        public Builder augmentation(List<String> specs) {
            this.augmentation = specs == null ? null : new ArrayList<>(specs);
            return this;
        }

        public Builder valFraction(double value) {
            this.valFraction = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder device(String value) {
            this.device = value;
            return this;
        }

        public Builder merge(String strategy, Map<String, String> options) {
            this.mergeStrategy = strategy;
            this.mergeOptions = new LinkedHashMap<>(options);
            return this;
        }

        public Builder everyKEpochs(int value) {
            this.everyKEpochs = value;
            return this;
        }

        public Builder emaEveryK(int value) {
            this.emaEveryK = value;
            return this;
        }

        public Builder rangeMerge(double from, double to) {
            this.rangeMerge = new ArrayList<>(List.of(from, to));
            return this;
        }

        public Builder mixFromStart(boolean value) {
            this.mixFromStart = value;
            return this;
        }

        public Builder aligner(String id, Map<String, String> options) {
            this.aligners.put(id, new LinkedHashMap<>(options));
            return this;
        }

        /** Replaces every aligner run around merges (id to options, in the order they run). */
        public Builder aligners(Map<String, Map<String, String>> aligners) {
            this.aligners = new LinkedHashMap<>();
            aligners.forEach(this::aligner);
            return this;
        }

        /** Replaces every soup aligner (id to options, in the order they run). */
        public Builder soupAligners(Map<String, Map<String, String>> aligners) {
            this.soupAligners = new LinkedHashMap<>();
            aligners.forEach(this::soupAligner);
            return this;
        }

        /** An aligner run when the final soups are built. */
        public Builder soupAligner(String id, Map<String, String> options) {
            this.soupAligners.put(id, new LinkedHashMap<>(options));
            return this;
        }

        public Builder sameInit(boolean value) {
            this.sameInit = value;
            return this;
        }

        public Builder evalEveryEpoch(boolean value) {
            this.evalEveryEpoch = value;
            return this;
        }

        public Builder evalBatchSize(int value) {
            this.evalBatchSize = value;
            return this;
        }

        /** Start every member from these weights (fine-tuning); see {@link io.papa.engine.weights.Pretrained}. */
        public Builder pretrained(String source) {
            this.pretrained = source == null || source.isBlank() ? null : source;
            return this;
        }

        /** Train only the classifier head for this fraction of the epochs (rounded up), then everything. */
        public Builder linearProbe(double fraction) {
            this.linearProbe = fraction;
            return this;
        }

        /** {@code per-member} or {@code fused}: see {@link PopulationConfig#stepPath()}. */
        public Builder stepPath(String value) {
            this.stepPath = value;
            return this;
        }

        public PopulationConfig build() {
            require(nPop >= 1, "n_pop", nPop, "an integer >= 1");
            require(epochs >= 1, "epochs", epochs, "an integer >= 1");
            require(batchSize >= 1, "batch_size", batchSize, "an integer >= 1");
            require(evalBatchSize >= 1, "eval_batch_size", evalBatchSize, "an integer >= 1");
            require(lr > 0 && Double.isFinite(lr), "lr", lr, "a positive number");
            require(lrMin >= 0 && lrMin <= lr, "lr_min", lrMin, "a number in [0, lr=" + lr + "]");
            require(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
            require(weightDecay >= 0, "wd", weightDecay, "a number >= 0");
            require(valFraction >= 0 && valFraction < 1, "val_perc", valFraction, "a number in [0, 1)");
            require(everyKEpochs >= 1, "every_k_epochs", everyKEpochs, "an integer >= 1");
            require(emaEveryK >= 1, "ema_every_k", emaEveryK, "an integer >= 1");
            require(rangeMerge.size() == 2 && rangeMerge.get(0) >= 0 && rangeMerge.get(0) <= rangeMerge.get(1)
                    && rangeMerge.get(1) <= 1, "range_merge", rangeMerge, "two fractions 0 <= from <= to <= 1");
            require(List.of("sgd", "adamw", "adam").contains(optimizer), "optim", optimizer, "sgd, adamw or adam");
            require(List.of("cosine", "multistep", "constant").contains(lrScheduler), "lr_scheduler", lrScheduler,
                    "cosine, multistep or constant");
            require(linearProbe >= 0 && linearProbe <= 1, "linear_prob_time", linearProbe, "a fraction in [0, 1]");
            require(STEP_PATHS.contains(stepPath), "step_path", stepPath, String.join(" or ", STEP_PATHS));
            require(linearProbe == 0 || !stepPath.equals("fused"), "step_path", stepPath,
                    "per-member when linear_prob_time > 0 (the fused step updates every tensor)");
            regularization.forEach((id, values) -> require(!values.isEmpty()
                    && values.stream().allMatch(v -> v >= 0 && Double.isFinite(v)), id, values,
                    "a non-empty list of non-negative numbers"));
            return new PopulationConfig(dataset, datasetOptions, architecture, architectureOptions, nPop, epochs,
                    batchSize, optimizer, lr, lrMin, momentum, weightDecay, lrScheduler, multistepMilestones,
                    multistepGamma, regularization, augmentation, valFraction, seed, device, mergeStrategy,
                    mergeOptions, everyKEpochs, emaEveryK, rangeMerge, mixFromStart, aligners, soupAligners, sameInit,
                    evalEveryEpoch, evalBatchSize, pretrained, linearProbe, stepPath);
        }

        private static void require(boolean ok, String option, Object value, String valid) {
            if (!ok) {
                throw new IllegalArgumentException("invalid " + option + " = " + value + "; expected " + valid);
            }
        }
    }
}
