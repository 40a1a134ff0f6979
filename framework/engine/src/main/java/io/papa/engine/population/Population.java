package io.papa.engine.population;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.papa.api.Architecture;
import io.papa.api.AugmentationSpec;
import io.papa.api.Dataset;
import io.papa.api.DatasetProvider;
import io.papa.api.ImageShape;
import io.papa.api.MixingMatrix;
import io.papa.api.Options;
import io.papa.api.Regularizer;
import io.papa.engine.compute.Compute;
import io.papa.engine.data.ImageBatches;
import io.papa.engine.data.RegularizationGrid;
import io.papa.engine.data.RegularizerStep;
import io.papa.engine.data.TrainingStream;
import io.papa.engine.data.ValidationSplit;
import io.papa.engine.fused.FusedTrainer;
import io.papa.engine.fused.UnfusableBlockException;
import io.papa.engine.merge.Mixer;
import io.papa.engine.optim.LearningRateSchedule;
import io.papa.engine.optim.MemberOptimizer;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.ProvidedExtension;
import io.papa.engine.weights.Pretrained;
import io.papa.engine.weights.StateDict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A population of networks of one architecture trained together on one dataset: the members,
 * their data, the learning-rate schedule and the step counter. One {@link #trainStep()} trains every
 * member: each takes its own batch through its own regularisers, forwards it and runs its backward
 * pass at once, then, when every loss is finite, each member's optimiser steps. The reference sums
 * the member losses and runs one backward; the gradients are the same (each member's parameters
 * reach only its own loss), but a backward per member frees each member's activations before the
 * next member's forward, so the peak memory holds one member's graph instead of n.
 */
public final class Population implements AutoCloseable {

    private final PopulationConfig config;
    private final PluginHost host;
    private final NDManager manager;
    private final Device device;
    private final ProvidedExtension<DatasetProvider> datasetProvider;
    private final Dataset dataset;
    private final ImageBatches train;
    private final ImageBatches validation;
    private final ImageBatches test;
    private final ProvidedExtension<Architecture> architecture;
    private final Options architectureOptions;
    private final List<Member> members;
    private final LearningRateSchedule schedule;
    private final int stepsPerEpoch;
    private final List<RegularizerStep> augmentation;
    private Member scratch;
    private FusedTrainer fused;
    /** Fused path: the fused tensors hold values (or optimiser state) the members do not have yet. */
    private boolean fusedAhead;
    /** Fused path: the members were handed out since the fused tensors were loaded, and may have changed. */
    private boolean membersHandedOut;
    private long step;
    private String pretrainedReport;

    private Population(PopulationConfig config, PluginHost host) {
        this.config = config;
        this.host = host;
        this.device = Compute.device(config.device());
        // every id and option is checked before the dataset is read
        check(config, host);
        this.architecture = host.find(Architecture.class, config.architecture());
        this.architectureOptions = options("architecture", architecture, config.architectureOptions());
        this.datasetProvider = host.find(DatasetProvider.class, config.dataset());
        this.dataset = datasetProvider.extension().load(options("dataset", datasetProvider, config.datasetOptions()));
        ValidationSplit split = ValidationSplit.of(dataset.train(), config.valFraction());
        this.train = new ImageBatches(split.train(), dataset.mean(), dataset.std());
        this.validation = split.validation() == null ? null
                : new ImageBatches(split.validation(), dataset.mean(), dataset.std());
        this.test = new ImageBatches(dataset.test(), dataset.mean(), dataset.std());
        this.augmentation = augmentation(config, dataset, host);
        this.manager = NDManager.newBaseManager(device);
        this.members = new ArrayList<>();
        this.stepsPerEpoch = (split.train().size() + config.batchSize() - 1) / config.batchSize();
        this.schedule = new LearningRateSchedule(LearningRateSchedule.Kind.parse(config.lrScheduler()), config.lr(),
                config.lrMin(), (long) config.epochs() * stepsPerEpoch,
                config.multistepMilestones().stream().mapToDouble(Double::doubleValue).toArray(),
                config.multistepGamma());
    }

    /** Loads the dataset, builds and initialises {@code n_pop} members (different random inits unless same_init). */
    public static Population create(PopulationConfig config, PluginHost host) {
        Compute.noGradOnThisThread();
        Population population = new Population(config, host);
        try {
            population.buildMembers();
            if (config.stepPath().equals("fused")) {
                population.fused = population.fuse();
            }
        } catch (RuntimeException e) {
            population.close();
            throw e;
        }
        return population;
    }

    /**
     * Checks the architecture, dataset, regularisers and an explicit augmentation list, with their
     * options, against the loaded plugins, without reading any data.
     */
    public static void check(PopulationConfig config, PluginHost host) {
        options("architecture", host.find(Architecture.class, config.architecture()), config.architectureOptions());
        for (String id : config.regularization().keySet()) {
            host.find(Regularizer.class, id);
        }
        options("dataset", host.find(DatasetProvider.class, config.dataset()), config.datasetOptions());
        if (config.augmentation() != null) {
            steps(config.augmentation().stream().map(Population::parseAugmentation).toList(), host);
        }
    }

    private static <T extends io.papa.api.PapaExtension> Options options(String what, ProvidedExtension<T> provided,
            Map<String, String> given) {
        return Options.resolve(what + " '" + provided.id() + "'", provided.extension().options(), given);
    }

    private static List<RegularizerStep> augmentation(PopulationConfig config, Dataset dataset, PluginHost host) {
        return steps(config.augmentation() == null ? dataset.standardAugmentation()
                : config.augmentation().stream().map(Population::parseAugmentation).toList(), host);
    }

    private static List<RegularizerStep> steps(List<AugmentationSpec> specs, PluginHost host) {
        List<RegularizerStep> steps = new ArrayList<>();
        for (AugmentationSpec spec : specs) {
            ProvidedExtension<Regularizer> regularizer = host.find(Regularizer.class, spec.regularizerId());
            Regularizer.Stage stage = regularizer.extension().stage();
            if (stage != Regularizer.Stage.RAW_IMAGE && stage != Regularizer.Stage.NORMALIZED_IMAGE) {
                throw new IllegalArgumentException("augmentation '" + spec.regularizerId()
                        + "' acts on batches; use it as a per-member regulariser list instead");
            }
            steps.add(new RegularizerStep(regularizer.extension(), spec.strength(),
                    options("augmentation", regularizer, spec.options())));
        }
        return steps;
    }

    /** {@code id}, {@code id:strength} or {@code id:strength:key=value;key=value}. */
    static AugmentationSpec parseAugmentation(String spec) {
        String[] parts = spec.split(":", 3);
        double strength = 1.0;
        Map<String, String> options = new LinkedHashMap<>();
        try {
            if (parts.length > 1 && !parts[1].isBlank()) {
                strength = Double.parseDouble(parts[1]);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("augmentation '" + spec + "': strength '" + parts[1]
                    + "' is not a number; expected id, id:strength or id:strength:key=value;key=value");
        }
        if (parts.length > 2) {
            for (String pair : parts[2].split(";")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("augmentation '" + spec + "': option '" + pair
                            + "' is not key=value");
                }
                options.put(kv[0].trim(), kv[1].trim());
            }
        }
        return new AugmentationSpec(parts[0].trim(), strength, options);
    }

    private void buildMembers() {
        List<Map<String, Double>> strengths = new RegularizationGrid(config.regularization())
                .assign(config.nPop(), config.seed());
        for (int i = 0; i < config.nPop(); i++) {
            List<RegularizerStep> pipeline = new ArrayList<>(augmentation);
            for (Map.Entry<String, Double> entry : strengths.get(i).entrySet()) {
                ProvidedExtension<Regularizer> regularizer = host.find(Regularizer.class, entry.getKey());
                pipeline.add(new RegularizerStep(regularizer.extension(), entry.getValue(),
                        options("regulariser", regularizer, Map.of())));
            }
            long memberSeed = TrainingStream.mix(config.seed(), i);
            TrainingStream stream = new TrainingStream(train, config.batchSize(), dataset.numClasses(), pipeline,
                    memberSeed);
            members.add(new Member(i, newBlock(config.sameInit() ? config.seed() : memberSeed),
                    new ParameterStore(manager, false), strengths.get(i), stream,
                    MemberOptimizer.create(config.optimizer(), config.momentum(), config.weightDecay(), manager)));
        }
        if (config.sameInit()) {
            Mixer.mix(members.subList(0, 1), uniformRows(members.size(), 1), members);
        }
        if (config.pretrained() != null) {
            for (Member member : members) {
                StateDict.LoadReport report = Pretrained.load(config.pretrained(), member,
                        architecture.extension().stateDictNames(member.block()), head(member),
                        classes -> architecture.extension().build(imageShape(), classes, architectureOptions),
                        dataset.numClasses());
                pretrainedReport = report.describe();
            }
        }
    }

    private FusedTrainer fuse() {
        try {
            return FusedTrainer.forPopulation(this);
        } catch (UnfusableBlockException e) {
            throw new IllegalArgumentException("step_path = fused: architecture '" + config.architecture()
                    + "' cannot be fused (" + e.getMessage() + "); use step_path = per-member", e);
        }
    }

    /**
     * The classifier head: the parameters of the last block that has any (the final linear layer of
     * every built-in network). Fine-tuning replaces it for the new class count and linear probing
     * trains only it.
     */
    public static java.util.Set<String> head(Member member) {
        List<String> names = new ArrayList<>(member.parameters().keySet());
        String last = names.get(names.size() - 1);
        String block = last.substring(0, last.lastIndexOf('_') + 1);
        java.util.Set<String> head = new java.util.LinkedHashSet<>();
        for (String name : names) {
            if (name.startsWith(block) && name.indexOf('_', block.length()) < 0) {
                head.add(name);
            }
        }
        return head;
    }

    /** What loading the pretrained weights matched, for logs; {@code null} without pretrained weights. */
    public String pretrainedReport() {
        return pretrainedReport;
    }

    private static double[][] uniformRows(int rows, int columns) {
        double[][] weights = new double[rows][columns];
        for (double[] row : weights) {
            java.util.Arrays.fill(row, 1.0 / columns);
        }
        return weights;
    }

    private Block newBlock(long seed) {
        // torch's manual_seed takes the low bits; fold the 64-bit seed so every bit matters
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Block block = architecture.extension().build(imageShape(), dataset.numClasses(), architectureOptions);
        ImageShape shape = imageShape();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, shape.channels(), shape.height(), shape.width()));
        return block;
    }

    /** A network of the population's architecture for soups and candidates, created on first use. */
    public Member scratch() {
        if (scratch == null) {
            scratch = new Member(-1, newBlock(config.seed() - 1), new ParameterStore(manager, false), Map.of(),
                    null, null);
        }
        return scratch;
    }

    public ImageShape imageShape() {
        return dataset.shape();
    }

    /**
     * One optimisation step of every member.
     *
     * @return each member's loss on its batch
     * @throws NonFiniteLossException naming the member when a loss is NaN or infinite
     */
    public float[] trainStep() {
        Compute.noGradOnThisThread();
        double lr = schedule.at(step);
        if (fused != null) {
            float[] losses = currentFused().trainStep(lr);
            fusedAhead = true;
            step++;
            return losses;
        }
        float[] losses = new float[members.size()];
        for (int k = 0; k < members.size(); k++) {
            Member member = members.get(k);
            // the member's activations live in this manager and its graph ends with its backward
            try (NDManager batchManager = manager.newSubManager(device);
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                Regularizer.Batch batch = member.stream().next(batchManager, device);
                NDArray logits = member.forward(batch.images(), true);
                NDArray loss = logits.logSoftmax(1).mul(batch.targets()).sum(new int[] {1}).neg().mean();
                collector.backward(loss);
                losses[k] = loss.getFloat();
            }
        }
        int diverged = -1;
        for (int k = members.size() - 1; k >= 0; k--) {
            diverged = Float.isFinite(losses[k]) ? diverged : k;
        }
        boolean probing = step < (long) config.linearProbeEpochs() * stepsPerEpoch;
        for (Member member : members) {
            java.util.Set<String> head = probing ? head(member) : null;
            for (Map.Entry<String, Parameter> entry : member.parameters().entrySet()) {
                Parameter parameter = entry.getValue();
                if (!parameter.requiresGradient()) {
                    continue;
                }
                NDArray weight = parameter.getArray();
                try (NDArray gradient = weight.getGradient()) {
                    // no member steps when any loss diverged; linear probing freezes the backbone (its
                    // BatchNorm statistics still adapt, as in torch's train mode)
                    if (diverged < 0 && (head == null || head.contains(entry.getKey()))) {
                        member.optimizer().update(entry.getKey(), weight, gradient, lr);
                    }
                }
                // the collector does not zero gradients; a stale one would be added to the next step's
                Compute.zeroGradient(weight);
            }
        }
        if (diverged >= 0) {
            throw new NonFiniteLossException("member " + diverged + " " + members.get(diverged).regularization()
                    + " has loss " + losses[diverged] + " at step " + step + " (epoch " + epochOf(step) + ", lr "
                    + lr + "); training diverged: lower --lr, or check the data");
        }
        step++;
        return losses;
    }

    /** Continues at optimiser step {@code completedSteps}, e.g. after restoring a checkpoint's values. */
    public void resumeAt(long completedSteps) {
        step = completedSteps;
        int epoch = (int) (completedSteps / stepsPerEpoch);
        int batch = (int) (completedSteps % stepsPerEpoch);
        for (Member member : members) {
            member.stream().seek(epoch, batch);
        }
    }

    private long epochOf(long s) {
        return s / stepsPerEpoch;
    }

    /**
     * The members with their current values and optimiser state. On the fused path this first copies
     * the fused tensors out to the members, and the next step copies the members back in, since the
     * caller may change them (a merge, a restored checkpoint).
     */
    public List<Member> members() {
        if (fused != null) {
            if (fusedAhead) {
                fused.network().store(members);
                fused.storeOptimizers(optimizers());
                fusedAhead = false;
            }
            membersHandedOut = true;
        }
        return Collections.unmodifiableList(members);
    }

    /**
     * Applies a mixing matrix straight to the fused tensors (one reduction or product per tensor, no
     * copy to the members) and returns true; false on the per-member path, where nothing happens.
     */
    public boolean mixFused(MixingMatrix matrix) {
        if (fused == null) {
            return false;
        }
        currentFused().network().mix(matrix);
        fusedAhead = true;
        return true;
    }

    /** Which path {@link #trainStep()} takes: {@code per-member} or {@code fused}. */
    public String stepPath() {
        return fused == null ? "per-member" : "fused";
    }

    private FusedTrainer currentFused() {
        if (membersHandedOut) {
            fused.network().load(members);
            fused.loadOptimizers(optimizers());
            membersHandedOut = false;
        }
        return fused;
    }

    private List<MemberOptimizer> optimizers() {
        return members.stream().map(Member::optimizer).toList();
    }

    public int size() {
        return members.size();
    }

    public PopulationConfig config() {
        return config;
    }

    public Dataset dataset() {
        return dataset;
    }

    public ImageBatches trainImages() {
        return train;
    }

    /** Held-out validation images, or {@code null} when val_perc is 0. */
    public ImageBatches validationImages() {
        return validation;
    }

    public ImageBatches testImages() {
        return test;
    }

    public PluginHost host() {
        return host;
    }

    public ProvidedExtension<Architecture> architecture() {
        return architecture;
    }

    public ProvidedExtension<DatasetProvider> datasetProvider() {
        return datasetProvider;
    }

    /** Every regulariser a member uses (augmentation and drawn strengths), for provenance. */
    public List<String> regularizerCoordinates() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        augmentation.forEach(step -> ids.add(step.regularizer().id()));
        ids.addAll(config.regularization().keySet());
        return ids.stream().map(id -> host.find(Regularizer.class, id).coordinates()).toList();
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return device;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Optimiser steps taken so far. */
    public long step() {
        return step;
    }

    /** The next step's learning rate over the initial one: what the reference reads after its scheduler stepped. */
    public double learningRateRatio() {
        return schedule.at(step) / schedule.initial();
    }

    @Override
    public void close() {
        manager.close();
    }
}
