package io.papa.cli;

import io.papa.api.MergeStrategy;
import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.report.ReportWriter;
import io.papa.engine.report.RunReport;
import io.papa.engine.run.Experiment;
import io.papa.engine.run.ReferenceAligners;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code papa train}: one population run with the reference's options (main.py), spelled with
 * dashes; the reference's underscore spellings are accepted too.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a population, merge it on schedule, evaluate members, ensemble and soups.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PluginOptions plugins;

    @Option(names = {"--data", "--dataset"}, defaultValue = "digits", description = "Dataset id (default: ${DEFAULT-VALUE}, the bundled MNIST digits).")
    String dataset;

    @Option(names = "--data-opt", paramLabel = "KEY=VALUE", description = "Dataset option, e.g. dir=/data/cifar (repeatable).")
    Map<String, String> datasetOptions = new LinkedHashMap<>();

    @Option(names = {"--model-name", "--model_name", "--arch"}, defaultValue = "cnn", description = "Architecture id (default: ${DEFAULT-VALUE}).")
    String architecture;

    @Option(names = "--arch-opt", paramLabel = "KEY=VALUE", description = "Architecture option (repeatable).")
    Map<String, String> architectureOptions = new LinkedHashMap<>();

    @Option(names = {"--n-pop", "--n_pop"}, defaultValue = "2", description = "Population size (default: ${DEFAULT-VALUE}).")
    int nPop;

    @Option(names = {"--epochs", "--EPOCHS"}, defaultValue = "300", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"--batch-size", "--batch_size"}, defaultValue = "64", description = "Per-member batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optim", defaultValue = "sgd", description = "sgd, adamw or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.1", description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = {"--lr-min", "--lr_min"}, defaultValue = "1e-4", description = "Final learning rate of the cosine schedule (default: ${DEFAULT-VALUE}).")
    double lrMin;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--wd", defaultValue = "1e-4", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = {"--lr-scheduler", "--lr_scheduler"}, defaultValue = "cosine", description = "cosine, multistep or constant (default: ${DEFAULT-VALUE}).")
    String lrScheduler;

    @Option(names = {"--multisteplr-mile", "--multisteplr_mile"}, arity = "1..*", split = ",", description = "Multistep milestones as fractions of the run (default: 0.5 0.75).")
    List<Double> milestones = new ArrayList<>(List.of(0.5, 0.75));

    @Option(names = {"--multisteplr-gamma", "--multisteplr_gamma"}, defaultValue = "0.1", description = "Multistep decay factor.")
    double gamma;

    @Option(names = "--mixup", arity = "1..*", defaultValue = "0.0", split = ",", description = "Candidate mixup alphas (default: ${DEFAULT-VALUE}).")
    List<Double> mixup;

    @Option(names = "--smooth", arity = "1..*", defaultValue = "0.0", split = ",", description = "Candidate label-smoothing values.")
    List<Double> smooth;

    @Option(names = "--cutmix", arity = "1..*", defaultValue = "0.0", split = ",", description = "Candidate CutMix alphas.")
    List<Double> cutmix;

    @Option(names = "--re", arity = "1..*", defaultValue = "0.0", split = ",", description = "Candidate random-erasing probabilities.")
    List<Double> randomErasing;

    @Option(names = "--augment", arity = "1..*", paramLabel = "SPEC",
            description = "Per-image augmentation for every member instead of the dataset's standard one: id[:strength[:k=v;k=v]], or none.")
    List<String> augmentation;

    @Option(names = {"--val-perc", "--val_perc"}, defaultValue = "0.02", description = "Held-out validation fraction (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = {"--method-comb", "--method_comb"}, defaultValue = "avg",
            description = "Merge strategy id: none, avg (PAPA-all), pair_half (PAPA-2), gradual (PAPA), ... (default: ${DEFAULT-VALUE}).")
    String methodComb;

    @Option(names = "--merge-opt", paramLabel = "KEY=VALUE", description = "Merge strategy option, e.g. pairs=reference (repeatable).")
    Map<String, String> mergeOptions = new LinkedHashMap<>();

    @Option(names = {"--every-k-epochs", "--every_k_epochs"}, defaultValue = "5", description = "Merge period in epochs (default: ${DEFAULT-VALUE}).")
    int everyKEpochs;

    @Option(names = {"--ema-alpha", "--ema_alpha"}, defaultValue = "1.0",
            description = "PAPA pull: a value below 1 selects the gradual strategy, w <- a*w + (1-a)*mean(w) (default: ${DEFAULT-VALUE}).")
    double emaAlpha;

    @Option(names = {"--ema-every-k", "--ema_every_k"}, defaultValue = "10", description = "PAPA pull every k steps (default: ${DEFAULT-VALUE}).")
    int emaEveryK;

    @Option(names = {"--lr-scaling", "--lr_scaling"}, defaultValue = "linear", description = "linear: scale the PAPA pull by lr_t/lr_0; constant (default: ${DEFAULT-VALUE}).")
    String lrScaling;

    @Option(names = {"--range-merge", "--range_merge"}, arity = "2", description = "Merge only between these fractions of the run (default: 0 1).")
    List<Double> rangeMerge = new ArrayList<>(List.of(0.0, 1.0));

    @Option(names = {"--mix-from-start", "--mix_from_start"}, defaultValue = "true", arity = "1", description = "Allow a merge after epoch 0 (default: ${DEFAULT-VALUE}).")
    boolean mixFromStart;

    @Option(names = {"--same-init", "--same_init"}, defaultValue = "false", arity = "1", description = "Start every member from member 0's weights.")
    boolean sameInit;

    @Option(names = {"--step-path", "--step_path"}, defaultValue = "per-member",
            description = "per-member, or fused: all members as one network (equal results to float tolerance; slower"
                    + " on CPU, see README Performance) (default: ${DEFAULT-VALUE}).")
    String stepPath;

    @Option(names = "--repair", arity = "1", defaultValue = "true",
            description = "REPAIR after every merge (not with PAPA or none), as the reference's default (default: ${DEFAULT-VALUE}).")
    boolean repair;

    @Option(names = {"--n-iter", "--n_iter"}, defaultValue = "5", description = "Batches for each REPAIR statistics pass (default: ${DEFAULT-VALUE}).")
    int nIter;

    @Option(names = "--repair-shift", defaultValue = "exact",
            description = "REPAIR of a bias-free conv: exact folds its shift into the next BatchNorm; reference drops it, as the reference code (default: ${DEFAULT-VALUE}).")
    String repairShift;

    @Option(names = "--permutation", arity = "1", defaultValue = "false",
            description = "Permutation-align members to member 0 before every merge and before the final soups (default: ${DEFAULT-VALUE}).")
    boolean permutation;

    @Option(names = "--matching", defaultValue = "activation", description = "Permutation matching: activation or weight (default: ${DEFAULT-VALUE}).")
    String matching;

    @Option(names = {"--n-iter-matching", "--n_iter_matching"}, defaultValue = "50",
            description = "Batches for activation matching (default: ${DEFAULT-VALUE}; the reference uses the whole epoch).")
    int nIterMatching;

    @Option(names = {"--repair-soup", "--repair_soup"}, arity = "1", defaultValue = "false",
            description = "REPAIR the final average and greedy soups (default: ${DEFAULT-VALUE}).")
    boolean repairSoup;

    @Option(names = "--pretrained", paramLabel = "SOURCE",
            description = "Fine-tune: start every member from safetensors:FILE (PyTorch names), run:DIR (a papa run's soup) or zoo:URL (a DJL model-zoo artifact); the classifier head is replaced when the class count differs.")
    String pretrained;

    @Option(names = {"--linear-prob-time", "--linear_prob_time"}, defaultValue = "0",
            description = "Fraction of the epochs that train only the classifier head, rounded up; the backbone is unfrozen after (default: ${DEFAULT-VALUE}).")
    double linearProbe;

    @Option(names = "--eval-every-epoch", description = "Evaluate every member on the test set after each epoch (plot in accuracy.png).")
    boolean evalEveryEpoch;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output directory (default: runs/<date-time>).")
    Path output;

    @Option(names = "--checkpoint", arity = "1", defaultValue = "true",
            description = "Checkpoint after every epoch into DIR/checkpoints; rerunning into the same DIR resumes (default: ${DEFAULT-VALUE}).")
    boolean checkpoint;

    @Option(names = {"--results-file", "--results_file"}, paramLabel = "FILE", description = "Also append the summary line here, as the reference does.")
    Path resultsFile;

    @Override
    public Integer call() throws Exception {
        Path out = output != null ? output
                : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try (PluginHost host = plugins.load(System.err)) {
            return run(host, config(host), out);
        }
    }

    private int run(PluginHost host, PopulationConfig config, Path out) throws Exception {
        try (Experiment experiment = Experiment.create(config, host, new ConsoleProgress(System.out))) {
            System.out.printf("papa train: %s on %s, n_pop %d, %s, %d epochs of %d steps, device %s%n", config.architecture(),
                    experiment.population().dataset().name(), config.nPop(), config.mergeStrategy(), config.epochs(),
                    experiment.population().stepsPerEpoch(), experiment.population().device());
            experiment.population().members().forEach(m -> System.out.println("  " + m));
            if (experiment.population().pretrainedReport() != null) {
                System.out.println("pretrained " + config.pretrained() + ": " + experiment.population().pretrainedReport());
            }
            if (checkpoint) {
                int from = experiment.checkpointInto(new CheckpointStore(out, 2));
                if (from > 0) {
                    System.out.println("resuming " + out + " after epoch " + from + " (from its last checkpoint)");
                }
            }
            RunReport report = experiment.run(out);
            System.out.println();
            System.out.print(ReportWriter.summary(report));
            System.out.println("results: " + out.toAbsolutePath());
            if (resultsFile != null) {
                Files.writeString(resultsFile, report.results().summaryLine() + System.lineSeparator(),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return 0;
        }
    }

    PopulationConfig config(PluginHost host) {
        var parsed = spec.commandLine().getParseResult();
        String strategy = methodComb;
        Map<String, String> strategyOptions = new LinkedHashMap<>(mergeOptions);
        if (emaAlpha != 1.0) {
            // the reference: ema_alpha != 1 turns on PAPA and disables every method_comb merge
            if (parsed.hasMatchedOption("--method-comb") && !methodComb.equals("gradual")) {
                throw new ParameterException(spec.commandLine(), "--ema-alpha " + emaAlpha
                        + " selects PAPA (gradual), so --method-comb " + methodComb
                        + " would be ignored; drop one of the two");
            }
            strategy = "gradual";
        }
        if (strategy.equals("gradual")) {
            if (emaAlpha != 1.0) {
                strategyOptions.put("ema_alpha", Double.toString(emaAlpha));
            }
            strategyOptions.put("lr_scaling", lrScaling);
            if (parsed.hasMatchedOption("--every-k-epochs")) {
                throw new ParameterException(spec.commandLine(),
                        "--every-k-epochs has no effect with PAPA (gradual); its period is --ema-every-k");
            }
        } else if (parsed.hasMatchedOption("--ema-every-k") || parsed.hasMatchedOption("--lr-scaling")) {
            throw new ParameterException(spec.commandLine(), "--ema-every-k and --lr-scaling only apply to PAPA"
                    + " (gradual, --ema-alpha < 1), not to --method-comb " + strategy);
        }
        if (strategy.equals("none") && parsed.hasMatchedOption("--every-k-epochs")) {
            throw new ParameterException(spec.commandLine(), "--every-k-epochs has no effect with --method-comb none");
        }
        PopulationConfig.Builder builder = PopulationConfig.builder()
                .dataset(dataset, datasetOptions)
                .architecture(architecture, architectureOptions)
                .nPop(nPop).epochs(epochs).batchSize(batchSize)
                .optimizer(optimizer).lr(lr).lrMin(lrMin).momentum(momentum).weightDecay(weightDecay)
                .lrScheduler(lrScheduler).multistep(milestones, gamma)
                .regularization("mixup", mixup)
                .regularization("label-smoothing", smooth)
                .regularization("cutmix", cutmix)
                .regularization("random-erasing", randomErasing)
                .valFraction(valFraction).seed(seed).device(device)
                .merge(strategy, strategyOptions)
                .everyKEpochs(everyKEpochs).emaEveryK(emaEveryK)
                .rangeMerge(rangeMerge.get(0), rangeMerge.get(1))
                .mixFromStart(mixFromStart).sameInit(sameInit).evalEveryEpoch(evalEveryEpoch)
                .pretrained(pretrained).linearProbe(linearProbe).stepPath(stepPath);
        MergeStrategy.Cadence cadence = host.get(MergeStrategy.class, strategy).cadence();
        if (cadence == MergeStrategy.Cadence.EPOCHS) {
            ReferenceAligners.of(permutation, matching, nIterMatching, repair, nIter, repairShift).forEach(builder::aligner);
        } else if (repair && parsed.hasMatchedOption("--repair")) {
            throw new ParameterException(spec.commandLine(), "--repair applies after merges; '" + strategy + "' "
                    + (cadence == MergeStrategy.Cadence.STEPS ? "pulls every few steps without REPAIR (as the reference)"
                            : "never merges") + "; use --repair-soup for the final soups");
        }
        builder.soupAligners(ReferenceAligners.of(permutation, matching, nIterMatching, repairSoup, nIter, repairShift));
        if (augmentation != null) {
            builder.augmentation(augmentation.equals(List.of("none")) ? List.of() : augmentation);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
