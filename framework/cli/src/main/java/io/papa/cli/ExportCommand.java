package io.papa.cli;

import io.papa.api.GreedySoup;
import io.papa.api.Network;
import io.papa.engine.eval.Evaluator;
import io.papa.engine.merge.MergeRunner;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.Population;
import io.papa.engine.population.TrainingListener;
import io.papa.engine.report.Provenance;
import io.papa.engine.run.Experiment;
import io.papa.engine.weights.ModelExport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code papa export}: a member or soup of a run as a PyTorch state dict or a DJL model directory. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a member or a soup of a run (its latest checkpoint) as safetensors with PyTorch names, or as a DJL model directory.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory (papa train -o / papa run output).")
    Path run;

    @Option(names = "--what", defaultValue = "avg",
            description = "member:K, avg (uniform soup) or greedy (greedy soup on validation) (default: ${DEFAULT-VALUE}).")
    String what;

    @Option(names = "--format", defaultValue = "safetensors", description = "safetensors or djl (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH",
            description = "The .safetensors file, or the DJL model directory.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("safetensors") && !format.equals("djl")) {
            throw new IllegalArgumentException("--format " + format + ": expected safetensors or djl");
        }
        try (PluginHost host = plugins.load(System.err);
                Experiment experiment = Experiment.open(run, host, new TrainingListener() { })) {
            Population population = experiment.population();
            Network network = select(population);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("papa.run", run.toAbsolutePath().toString());
            metadata.put("papa.what", what);
            metadata.put("papa.architecture", population.architecture().coordinates());
            metadata.put("papa.architecture.options", population.config().architectureOptions().toString());
            metadata.put("papa.classes", Integer.toString(population.dataset().numClasses()));
            metadata.put("papa.dataset", population.dataset().name());
            metadata.put("papa.step", Long.toString(population.step()));
            metadata.put("papa.version", Provenance.version() + " (" + Provenance.commit() + ")");
            if (format.equals("safetensors")) {
                ModelExport.safetensors(output, population, network, metadata);
            } else {
                ModelExport.djlModel(output, network.block(), metadata);
            }
            System.out.println("exported " + what + " of " + run + " (step " + population.step() + ") to " + output);
        }
        return 0;
    }

    private Network select(Population population) {
        int n = population.size();
        if (what.startsWith("member:")) {
            int k = Integer.parseInt(what.substring("member:".length()));
            if (k < 0 || k >= n) {
                throw new IllegalArgumentException("--what " + what + ": the run has members 0.." + (n - 1));
            }
            return population.members().get(k);
        }
        double[] weights = new double[n];
        if (what.equals("avg")) {
            Arrays.fill(weights, 1.0 / n);
        } else if (what.equals("greedy")) {
            double[] accuracy = Evaluator.evaluate(population.members(), population.validationImages(),
                    population.config().evalBatchSize(), population.manager(), population.device()).accuracy();
            weights = GreedySoup.weights(accuracy, w -> MergeRunner.validationAccuracy(population, w));
        } else {
            throw new IllegalArgumentException("--what " + what + ": expected member:K, avg or greedy");
        }
        return MergeRunner.soup(population, weights, List.of());
    }
}
