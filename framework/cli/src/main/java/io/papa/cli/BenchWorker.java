package io.papa.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import io.papa.api.MergeStrategy;
import io.papa.api.MixingMatrix;
import io.papa.api.Options;
import io.papa.engine.merge.MergeRunner;
import io.papa.engine.merge.Mixer;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.ProvidedExtension;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import io.papa.engine.population.PopulationConfig;
import io.papa.engine.report.ReportWriter;
import io.papa.engine.run.Experiment;
import io.papa.engine.run.ReferenceAligners;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One configuration of {@code papa bench}, which starts this class in a fresh JVM per
 * configuration so that the peak resident memory read at the end belongs to that configuration
 * alone. Not a user command: it takes what {@link BenchCommand} passes and writes its measurements
 * as JSON to {@code --result}.
 *
 * <p>It trains a population on synthetic CIFAR-shaped images (no augmentation, SGD), times repeats
 * of {@code --steps} population steps after {@code --warmup} untimed ones, then times each merge
 * through the engine's {@link MergeRunner} on the real population. Every merge repeat starts from
 * the same trained members, restored from a file between repeats (untimed): weight matching costs
 * less on members it has already aligned, and a copy in memory would count in the peak RSS.
 */
@Command(name = "papa-bench-worker", description = "One papa bench configuration (internal).")
final class BenchWorker implements Callable<Integer> {

    /** How a population step runs; the bench's {@code --path}. */
    enum StepPath {
        PER_MEMBER("per-member"),
        FUSED("fused");

        final String label;

        StepPath(String label) {
            this.label = label;
        }

        static StepPath parse(String label) {
            for (StepPath path : values()) {
                if (path.label.equals(label)) {
                    return path;
                }
            }
            throw new IllegalArgumentException("--path " + label + ": expected per-member or fused");
        }
    }

    @Option(names = "--arch", required = true)
    String architecture;

    @Option(names = "--n-pop", required = true)
    int nPop;

    @Option(names = "--batch-size", required = true)
    int batchSize;

    @Option(names = "--warmup", required = true)
    int warmup;

    @Option(names = "--repeats", required = true)
    int repeats;

    @Option(names = "--steps", required = true)
    int steps;

    @Option(names = "--seed", required = true)
    int seed;

    @Option(names = "--path", required = true, converter = PathConverter.class)
    StepPath path;

    @Option(names = "--plugins-dir", required = true)
    List<Path> pluginDirectories;

    @Option(names = "--result", required = true)
    Path result;

    static final class PathConverter implements CommandLine.ITypeConverter<StepPath> {
        @Override
        public StepPath convert(String value) {
            return StepPath.parse(value);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchWorker()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (PluginHost host = PluginHost.load(pluginDirectories);
                Population population = Population.create(config(architecture, nPop, batchSize, seed)
                        .stepPath(path.label).build(), host)) {
            double[] rates = new double[repeats];
            for (int r = -warmup; r < repeats; r++) {
                long started = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    population.trainStep();
                }
                if (r >= 0) {
                    rates[r] = (double) steps * batchSize * nPop / ((System.nanoTime() - started) / 1e9);
                }
            }
            double peakTrain = peakRssMib();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("arch", architecture);
            out.put("n_pop", nPop);
            out.put("batch_size", batchSize);
            out.put("threads", JniUtils.getNumThreads());
            out.put("path", path.label);
            out.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
            out.put("parameters", population.members().get(0).parameters().values().stream()
                    .filter(Parameter::requiresGradient).mapToLong(p -> p.getArray().size()).sum());
            out.put("steps_per_repeat", steps);
            out.put("images_per_s", summary(rates));
            // a population of one has nothing to merge
            out.put("peak_rss_train_mib", peakTrain);
            out.put("merge_ms", nPop > 1 ? merges(host, population, out) : Map.of());
            out.putIfAbsent("peak_rss_merges_mib", peakTrain);
            out.put("peak_rss_mib", peakRssMib());
            Files.write(result, ReportWriter.json().writeValueAsBytes(out));
        }
        return 0;
    }

    /** Synthetic CIFAR-shaped images without augmentation, SGD as in the reference, on the CPU. */
    static PopulationConfig.Builder config(String architecture, int nPop, int batchSize, int seed) {
        return PopulationConfig.builder()
                .dataset("synthetic", Map.of("augment", "false", "seed", Integer.toString(seed)))
                .architecture(architecture, Map.of())
                .nPop(nPop).epochs(1).batchSize(batchSize)
                // a small constant rate: random labels must not diverge, and the rate costs nothing
                .optimizer("sgd").lr(0.01).lrMin(0).momentum(0.9).weightDecay(1e-4).lrScheduler("constant")
                .valFraction(0).seed(seed).device("cpu")
                .merge("none", Map.of());
    }

    /**
     * Median, min and max milliseconds of each merge, in the order the issue lists them. On the fused
     * path avg, pair_half and gradual mix the fused tensors in place; REPAIR and alignment work on
     * separate networks, so there they include copying the members out of the fused tensors (copying
     * them back happens at the next step, untimed here). The peak resident memory after the merges
     * the reference also runs goes into {@code out} as {@code peak_rss_merges_mib}, the figure to hold
     * against the reference's peak.
     */
    private Map<String, Object> merges(PluginHost host, Population population, Map<String, Object> out)
            throws IOException {
        MergeRunner avg = runner(host, population, "avg");
        MergeRunner pairHalf = runner(host, population, "pair_half");
        MergeRunner gradual = runner(host, population, "gradual");
        List<MergeRunner.ConfiguredAligner> repair = Experiment.aligners(host,
                Map.of(ReferenceAligners.REPAIR, ReferenceAligners.repairOptions(5, "exact")));
        List<MergeRunner.ConfiguredAligner> permutation = Experiment.aligners(host,
                Map.of(ReferenceAligners.PERMUTATION, Map.of("method", "weight")));
        Map<String, Runnable> operations = new LinkedHashMap<>();
        operations.put("avg", () -> avg.merge(0));
        operations.put("pair_half", () -> pairHalf.merge(0));
        operations.put("gradual", () -> gradual.merge(0));
        operations.put("repair", () -> avg.realign(0, "repair", repair));
        operations.put("permutation", () -> avg.realign(0, "permutation", permutation));

        Map<String, Object> times = new LinkedHashMap<>();
        try (Snapshot trained = new Snapshot(population)) {
            for (Map.Entry<String, Runnable> operation : operations.entrySet()) {
                double[] ms = new double[repeats];
                for (int r = -warmup; r < repeats; r++) {
                    trained.restore();
                    // untimed: a fused population takes the restored members back into its tensors
                    population.mixFused(MixingMatrix.identity(population.size()));
                    long started = System.nanoTime();
                    operation.getValue().run();
                    if (r >= 0) {
                        ms[r] = (System.nanoTime() - started) / 1e6;
                    }
                }
                times.put(operation.getKey(), summary(ms));
                if (operation.getKey().equals("gradual")) {
                    out.put("peak_rss_merges_mib", peakRssMib());
                }
            }
        }
        return times;
    }

    private static MergeRunner runner(PluginHost host, Population population, String id) {
        ProvidedExtension<MergeStrategy> strategy = host.find(MergeStrategy.class, id);
        return new MergeRunner(population, strategy, Options.resolve("merge strategy '" + id + "'",
                strategy.extension().options(), Map.of()), List.of());
    }

    /**
     * The members' values in a temporary file. Neither saving nor restoring leaves native memory
     * behind for the garbage collector: saving writes views of the tensors' own memory, restoring
     * reads through one reused native buffer.
     */
    static final class Snapshot implements AutoCloseable {
        private final Population population;
        private final Path file;
        private final ByteBuffer buffer;

        Snapshot(Population population) throws IOException {
            this.population = population;
            this.file = Files.createTempFile("papa-bench-members", ".bin");
            long largest = 0;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (Member member : population.members()) {
                    for (Parameter parameter : member.parameters().values()) {
                        ByteBuffer values = parameter.getArray().toByteBuffer(true);
                        largest = Math.max(largest, values.remaining());
                        while (values.hasRemaining()) {
                            out.write(values);
                        }
                    }
                }
            }
            this.buffer = ByteBuffer.allocateDirect(Math.toIntExact(largest)).order(ByteOrder.nativeOrder());
        }

        void restore() {
            // members() each time: on the fused path that marks the members as changed
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                for (Member member : population.members()) {
                    for (Parameter parameter : member.parameters().values()) {
                        NDArray target = parameter.getArray();
                        buffer.clear().limit(Math.toIntExact(target.size() * target.getDataType().getNumOfBytes()));
                        while (buffer.hasRemaining()) {
                            if (in.read(buffer) < 0) {
                                throw new IOException("the file ends before " + parameter.getName());
                            }
                        }
                        buffer.flip();
                        // the array may share the buffer's memory: it is closed before the buffer is refilled
                        try (NDArray saved = population.manager().create(buffer.slice().order(ByteOrder.nativeOrder()),
                                target.getShape(), target.getDataType())) {
                            Mixer.assign(target, saved);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot restore the members from " + file, e);
            }
        }

        @Override
        public void close() throws IOException {
            Files.delete(file);
        }
    }

    static Map<String, Object> summary(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("median", n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
        summary.put("min", sorted[0]);
        summary.put("max", sorted[n - 1]);
        summary.put("samples", samples);
        return summary;
    }

    /** The process's peak resident set (VmHWM), in MiB. */
    static double peakRssMib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("/proc/self/status has no VmHWM line (not Linux?)");
    }
}
