package io.papa.workflow.camel;

import io.papa.api.InvalidOptionException;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.run.Experiment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:create}: a population with the reference's options (main.py), spelled in camelCase,
 * and the merge schedule of its route's papa:merge. When {@code output} already holds a checkpoint
 * of the same configuration, the population continues from it: rerunning a route into the same
 * directory resumes it.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:create", title = "PAPA population", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class CreateEndpoint extends PapaEndpoint {

    /** The regularisers of the reference's four lists, by the engine's ids. */
    private static final Map<String, String> REGULARIZERS = Map.of("mixup", "mixup", "label-smoothing", "smooth",
            "cutmix", "cutmix", "random-erasing", "re");

    @UriParam(description = "Run directory: checkpoints, results.json, summary.txt; a rerun into it resumes")
    @Metadata(required = true)
    private String output = "";

    @UriParam(defaultValue = "digits", description = "Dataset id (data): digits (bundled MNIST digits), cifar10,"
            + " cifar100, mnist-idx, image-folder, or a plugin's")
    private String dataset = "digits";

    @UriParam(multiValue = true, prefix = "dataset.", description = "Dataset options, e.g. dataset.limit=3000,"
            + " dataset.dir=/data/cifar; an empty value keeps the plugin's default")
    private final Map<String, String> datasetOptions = new LinkedHashMap<>();

    @UriParam(defaultValue = "cnn", description = "Architecture id (model_name): cnn, mlp, resnet18, resnet20,"
            + " vgg11/13/16/19, or a plugin's")
    private String architecture = "cnn";

    @UriParam(multiValue = true, prefix = "arch.", description = "Architecture options, e.g. arch.width=8; an empty"
            + " value keeps the plugin's default")
    private final Map<String, String> architectureOptions = new LinkedHashMap<>();

    @UriParam(defaultValue = "2", description = "Population size (n_pop)")
    private int nPop = 2;

    @UriParam(defaultValue = "300", description = "Epochs (EPOCHS)")
    private int epochs = 300;

    @UriParam(defaultValue = "64", description = "Per-member batch size (batch_size)")
    private int batchSize = 64;

    @UriParam(defaultValue = "sgd", enums = "sgd,adamw,adam", description = "Optimiser (optim)")
    private String optim = "sgd";

    @UriParam(defaultValue = "0.1", description = "Initial learning rate (lr)")
    private double lr = 0.1;

    @UriParam(defaultValue = "1.0E-4", description = "Final learning rate of the cosine schedule (lr_min)")
    private double lrMin = 1e-4;

    @UriParam(defaultValue = "0.9", description = "SGD momentum")
    private double momentum = 0.9;

    @UriParam(defaultValue = "1.0E-4", description = "Weight decay (wd)")
    private double wd = 1e-4;

    @UriParam(defaultValue = "cosine", enums = "cosine,multistep,constant", description = "Learning-rate schedule,"
            + " stepped every iteration (lr_scheduler)")
    private String lrScheduler = "cosine";

    @UriParam(defaultValue = "0.5,0.75", description = "Multistep milestones as fractions of the run (multisteplr_mile)")
    private List<Double> multisteplrMile = List.of(0.5, 0.75);

    @UriParam(defaultValue = "0.1", description = "Multistep decay factor (multisteplr_gamma)")
    private double multisteplrGamma = 0.1;

    @UriParam(defaultValue = "0.0", description = "Candidate mixup alphas; members share out the Cartesian product"
            + " of the four lists")
    private List<Double> mixup = List.of(0.0);

    @UriParam(defaultValue = "0.0", description = "Candidate label-smoothing values")
    private List<Double> smooth = List.of(0.0);

    @UriParam(defaultValue = "0.0", description = "Candidate CutMix alphas")
    private List<Double> cutmix = List.of(0.0);

    @UriParam(defaultValue = "0.0", description = "Candidate random-erasing probabilities")
    private List<Double> re = List.of(0.0);

    @UriParam(description = "Per-image augmentation for every member instead of the dataset's standard one:"
            + " id[:strength[:k=v;k=v]] specs, or none")
    private List<String> augment = List.of();

    @UriParam(defaultValue = "0.02", description = "Held-out validation fraction for greedy soups (val_perc)")
    private double valPerc = 0.02;

    @UriParam(defaultValue = "1", description = "Seed of every random draw")
    private long seed = 1;

    @UriParam(defaultValue = "auto", description = "auto, cpu, gpu or gpu:N; also selects the training stages'"
            + " Quartz device slot")
    private String device = "auto";

    @UriParam(defaultValue = "false", description = "Start every member from member 0's weights (same_init)")
    private boolean sameInit;

    @UriParam(defaultValue = "false", description = "Test accuracy of every member after each epoch (accuracy.png)")
    private boolean evalEveryEpoch;

    @UriParam(defaultValue = "256", description = "Batch size for evaluation")
    private int evalBatchSize = 256;

    @UriParam(description = "Fine-tuning: start every member from safetensors:FILE, run:DIR or zoo:URL")
    private String pretrained = "";

    @UriParam(defaultValue = "0.0", description = "Fraction of the epochs that train only the classifier head"
            + " (linear_prob_time)")
    private double linearProbTime;

    @UriParam(defaultValue = "per-member", enums = "per-member,fused", description = "How a population step runs:"
            + " per-member, or fused (all members as one network; slower on CPU, see README Performance)")
    private String stepPath = "per-member";

    private MergeEndpoint merge;
    private PopulationConfig config;

    public CreateEndpoint(String uri, PapaComponent component) {
        super(uri, component, "create");
    }

    /**
     * The merge of this population's route, whose options complete the configuration; {@code null}
     * when the route has none (independent members).
     */
    synchronized void mergedBy(MergeEndpoint routeMerge) {
        if (config != null && routeMerge != merge) {
            throw new InvalidOptionException("papa:create with these options is used by two routes with different"
                    + " papa:merge steps; a population has one merge schedule: give each route its own output");
        }
        this.merge = routeMerge;
        this.config = null;
    }

    /** The population's configuration: these options with the route's merge schedule. */
    synchronized PopulationConfig config(PluginHost host) {
        if (config == null) {
            if (output.isBlank()) {
                throw new InvalidOptionException("papa:create needs output=<run directory>");
            }
            PopulationConfig.Builder builder = PopulationConfig.builder()
                    .dataset(dataset, datasetOptions).architecture(architecture, architectureOptions)
                    .nPop(nPop).epochs(epochs).batchSize(batchSize)
                    .optimizer(optim).lr(lr).lrMin(lrMin).momentum(momentum).weightDecay(wd)
                    .lrScheduler(lrScheduler).multistep(multisteplrMile, multisteplrGamma)
                    .regularization("mixup", mixup).regularization("label-smoothing", smooth)
                    .regularization("cutmix", cutmix).regularization("random-erasing", re)
                    .valFraction(valPerc).seed(seed).device(device).sameInit(sameInit)
                    .evalEveryEpoch(evalEveryEpoch).evalBatchSize(evalBatchSize)
                    .pretrained(pretrained).linearProbe(linearProbTime).stepPath(stepPath);
            if (!augment.isEmpty()) {
                builder.augmentation(augment.equals(List.of("none")) ? List.of() : augment);
            }
            if (merge == null) {
                MergeEndpoint.applyNone(builder);
            } else {
                merge.applyTo(builder, host);
            }
            try {
                config = builder.build();
            } catch (IllegalArgumentException e) {
                throw new InvalidOptionException(EndpointOptions.of(verb(), getClass()).explain(e.getMessage(),
                        REGULARIZERS));
            }
        }
        return config;
    }

    String output() {
        return output;
    }

    @Override
    protected void check(PluginHost host) {
        Experiment.check(config(host), host);
    }

    @Override
    public Producer createProducer() {
        return new CreateProducer(this);
    }
}
