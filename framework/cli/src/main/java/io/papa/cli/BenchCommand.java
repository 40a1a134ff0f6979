package io.papa.cli;

import io.papa.api.Aligner;
import io.papa.api.Architecture;
import io.papa.api.DatasetProvider;
import io.papa.api.MergeStrategy;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.report.ReportWriter;
import io.papa.engine.run.ReferenceAligners;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code papa bench}: population training step, merge costs and peak memory for each architecture
 * and population size, beside the reference's loop in PyTorch measured in the same run. Each
 * configuration runs in a fresh JVM ({@link BenchWorker}) so that its peak resident memory is its
 * own, then in {@code bench/reference_step.py} with the same threads and batch; nothing runs
 * concurrently, so the two never compete for cores.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark the population step, the merges and peak memory against the reference loop (PyTorch).",
            "Not for a busy machine: every configuration competes with whatever else runs."})
final class BenchCommand implements Callable<Integer> {

    private static final List<String> MERGES = List.of("avg", "pair_half", "gradual", "repair", "permutation");
    private static final List<String> REFERENCE_MERGES = List.of("avg", "gradual");

    @Mixin
    PluginOptions plugins;

    @Option(names = "--arch", arity = "1..*", split = ",", defaultValue = "resnet20,resnet18,vgg16",
            description = "Architectures (default: ${DEFAULT-VALUE}).")
    List<String> architectures;

    @Option(names = "--n-pop", arity = "1..*", split = ",", defaultValue = "1,3,5,10",
            description = "Population sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> populationSizes;

    @Option(names = "--batch-size", defaultValue = "64", description = "Per-member batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "2", description = "Torch threads on both sides (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Untimed repeats before the timed ones, for training and for each merge, on both sides; when at"
                    + " least 1, raised until the warm-up trains " + WARMUP_MEMBER_STEPS + " member steps (default:"
                    + " ${DEFAULT-VALUE}).")
    int warmup;

    /**
     * Member steps our JVM needs before its step runs at its steady speed: the JIT compiles the step's
     * Java code meanwhile (ResNet-20, n_pop 1: 459 img/s after 3 warm-up steps, 528 after 15).
     */
    static final int WARMUP_MEMBER_STEPS = 20;

    @Option(names = "--repeats", defaultValue = "5",
            description = "Timed repeats; median, min and max are reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--steps", defaultValue = "5", description = "Population steps per repeat (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--path", split = ",", defaultValue = "per-member",
            description = "How our population step runs, a list: per-member, fused, or per-member,fused for both"
                    + " against one reference measurement (default: ${DEFAULT-VALUE}).")
    List<String> paths;

    @Option(names = "--heap", defaultValue = "2g",
            description = "Java heap of each configuration's JVM, as PAPA_HEAP for papa train; it counts in the peak RSS (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    int seed;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the reference loop (default: ${DEFAULT-VALUE}).")
    Path python;

    @Option(names = "--reference-script", paramLabel = "FILE",
            description = "The reference loop (default: bench/reference_step.py of the working directory or of the papa checkout).")
    Path referenceScript;

    @Option(names = "--no-reference", description = "Measure ours only.")
    boolean noReference;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where bench-results.json, bench-results.txt and the logs go (default: runs/bench-<date-time>).")
    Path output;

    /** The reference side: the script and its PyTorch version, or why it cannot run. */
    private record Reference(Path script, String torch, String unavailable) {
    }

    @Override
    public Integer call() throws Exception {
        paths.forEach(BenchWorker.StepPath::parse);
        if (batchSize < 1 || threads < 1 || warmup < 0 || repeats < 1 || steps < 1
                || populationSizes.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--batch-size, --threads, --repeats, --steps and --n-pop must be at least 1,"
                    + " --warmup at least 0");
        }
        List<Path> pluginDirectories = checkPlugins();
        Path out = output != null ? output : Path.of("runs",
                "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(out.resolve("logs"));
        Reference reference = reference();

        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("paths", paths);
        settings.put("architectures", architectures);
        settings.put("n_pop", populationSizes);
        settings.put("batch_size", batchSize);
        settings.put("image", "3x32x32 synthetic, 10 classes");
        settings.put("threads", threads);
        settings.put("warmup", warmup);
        settings.put("repeats", repeats);
        settings.put("steps_per_repeat", steps);
        settings.put("heap", heap);
        settings.put("seed", seed);
        Map<String, Object> machine = machine();
        machine.put("load_average_start", loadAverage());
        Map<String, Object> referenceInfo = new LinkedHashMap<>();
        referenceInfo.put("available", reference.unavailable() == null);
        referenceInfo.put("script", reference.script() == null ? null : reference.script().toString());
        referenceInfo.put("python", python.toString());
        referenceInfo.put("torch", reference.torch());
        referenceInfo.put("reason", reference.unavailable());

        System.out.println(header(settings, machine, reference));
        List<Map<String, Object>> results = new ArrayList<>();
        int total = architectures.size() * populationSizes.size() * paths.size();
        int failures = 0;
        for (String architecture : architectures) {
            for (int nPop : populationSizes) {
                String name = architecture + "-n" + nPop;
                Outcome theirs = null;
                for (String path : paths) {
                    System.out.printf(Locale.ROOT, "[%d/%d] %s n_pop %d %s: ", results.size() + 1, total, architecture,
                            nPop, path);
                    System.out.flush();
                    long started = System.nanoTime();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("arch", architecture);
                    row.put("n_pop", nPop);
                    row.put("path", path);
                    Outcome ours = ours(architecture, nPop, path, pluginDirectories, out.resolve("logs"),
                            name + "-" + path);
                    row.put("ours", ours.values());
                    row.put("ours_error", ours.error());
                    // one reference measurement per configuration, shared by the paths
                    boolean measured = theirs != null;
                    if (!measured) {
                        theirs = reference.unavailable() != null ? new Outcome(null, null)
                                : reference(reference, architecture, nPop,
                                        out.resolve("logs").resolve(name + "-reference.log"));
                    }
                    row.put("reference", theirs.values());
                    row.put("reference_error", theirs.error());
                    row.put("ratios", ratios(ours.values(), theirs.values()));
                    results.add(row);
                    failures += (ours.error() != null ? 1 : 0) + (!measured && theirs.error() != null ? 1 : 0);
                    System.out.println(progress(row) + String.format(Locale.ROOT, " (%.0f s)",
                            (System.nanoTime() - started) / 1e9));
                }
            }
        }
        machine.put("load_average_end", loadAverage());

        String table = header(settings, machine, reference) + System.lineSeparator() + System.lineSeparator()
                + tables(results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        json.put("machine", machine);
        json.put("reference", referenceInfo);
        json.put("results", results);
        Files.write(out.resolve("bench-results.json"), ReportWriter.json().writeValueAsBytes(json));
        Files.writeString(out.resolve("bench-results.txt"), table, StandardCharsets.UTF_8);
        System.out.println();
        System.out.print(tables(results));
        System.out.println("results: " + out.toAbsolutePath().resolve("bench-results.txt") + " and bench-results.json");
        return failures == 0 ? 0 : 1;
    }

    /** Every id the workers need, checked before any JVM starts; returns the plugin directories for them. */
    private List<Path> checkPlugins() {
        try (PluginHost host = plugins.load(System.err)) {
            architectures.forEach(id -> host.find(Architecture.class, id));
            host.find(DatasetProvider.class, "synthetic");
            List.of("avg", "pair_half", "gradual").forEach(id -> host.find(MergeStrategy.class, id));
            List.of(ReferenceAligners.REPAIR, ReferenceAligners.PERMUTATION).forEach(id -> host.find(Aligner.class, id));
            return host.directories().stream().map(Path::toAbsolutePath).toList();
        }
    }

    /** Warm-up repeats for a population of {@code nPop}: as asked, and enough for the JIT when any are asked. */
    int warmupRepeats(int nPop) {
        int perRepeat = steps * nPop;
        return warmup == 0 ? 0 : Math.max(warmup, (WARMUP_MEMBER_STEPS + perRepeat - 1) / perRepeat);
    }

    /** A measurement's JSON values, or why there is none. */
    private record Outcome(Map<String, Object> values, String error) {
    }

    private Outcome ours(String architecture, int nPop, String path, List<Path> pluginDirectories, Path logs,
            String name)
            throws IOException, InterruptedException {
        Path result = logs.resolve(name + ".json");
        Path log = logs.resolve(name + ".log");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        // the launcher's settings (offline, cache, logging) carry over; the thread counts are the bench's own
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("-D") && !argument.startsWith("-Dai.djl.pytorch.num_")) {
                command.add(argument);
            }
        }
        if (System.getProperty("ai.djl.offline") == null) {
            command.add("-Dai.djl.offline=true");
        }
        command.add("-Dai.djl.pytorch.num_threads=" + threads);
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchWorker.class.getName(),
                "--arch", architecture, "--n-pop", Integer.toString(nPop), "--batch-size", Integer.toString(batchSize),
                "--warmup", Integer.toString(warmupRepeats(nPop)), "--repeats", Integer.toString(repeats),
                "--steps", Integer.toString(steps), "--seed", Integer.toString(seed), "--path", path,
                "--result", result.toString()));
        for (Path directory : pluginDirectories) {
            command.addAll(List.of("--plugins-dir", directory.toString()));
        }
        ProcessBuilder worker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        NativeAllocator.applyTo(worker);
        int exit = worker.start().waitFor();
        if (exit != 0 || !Files.exists(result)) {
            return new Outcome(null, "exit code " + exit + ": " + lastLine(log) + " (log: " + log + ")");
        }
        return new Outcome(read(result), null);
    }

    private Outcome reference(Reference reference, String architecture, int nPop, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder loop = new ProcessBuilder(python.toString(), reference.script().toString(), "--arch", architecture,
                "--n-pop", Integer.toString(nPop), "--batch-size", Integer.toString(batchSize),
                "--threads", Integer.toString(threads), "--warmup", Integer.toString(warmupRepeats(nPop)),
                "--repeats", Integer.toString(repeats), "--steps", Integer.toString(steps),
                "--seed", Integer.toString(seed))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // the same allocator as ours, so the comparison is of the steps alone
        NativeAllocator.applyTo(loop);
        int exit = loop.start().waitFor();
        String last = lastLine(log);
        if (exit != 0 || !last.startsWith("{")) {
            return new Outcome(null, "exit code " + exit + ": " + last + " (log: " + log + ")");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = ReportWriter.json().readValue(last, Map.class);
        return new Outcome(values, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path file) throws IOException {
        return ReportWriter.json().readValue(file.toFile(), Map.class);
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "no output";
    }

    private Reference reference() throws InterruptedException {
        if (noReference) {
            return new Reference(null, null, "not run (--no-reference)");
        }
        Path script = referenceScript != null ? referenceScript : findReferenceScript();
        if (script == null || !Files.isRegularFile(script)) {
            return new Reference(null, null, (script == null ? "bench/reference_step.py" : script.toString())
                    + " not found (looked in the working directory and the papa checkout); pass --reference-script");
        }
        if (!Files.isExecutable(python)) {
            return new Reference(script, null, python + " not found; install Python 3 with PyTorch (Debian:"
                    + " apt install python3-torch) or pass --python");
        }
        try {
            Process check = new ProcessBuilder(python.toString(), "-c", "import torch; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String printed = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (check.waitFor() != 0) {
                return new Reference(script, null, "PyTorch cannot be imported by " + python
                        + " (Debian: apt install python3-torch)");
            }
            return new Reference(script, printed.lines().reduce((a, b) -> b).orElse(printed), null);
        } catch (IOException e) {
            return new Reference(script, null, "cannot run " + python + ": " + e.getMessage());
        }
    }

    /** {@code bench/reference_step.py} in the working directory or a folder above the papa classes (the checkout). */
    private static Path findReferenceScript() {
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of("").toAbsolutePath());
        CodeSource code = BenchCommand.class.getProtectionDomain().getCodeSource();
        if (code != null) {
            try {
                for (Path p = Path.of(code.getLocation().toURI()); p != null; p = p.getParent()) {
                    roots.add(p);
                }
            } catch (URISyntaxException e) {
                // an unusual class location: the working directory is the only place left to look
            }
        }
        return roots.stream().map(root -> root.resolve("bench").resolve("reference_step.py"))
                .filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static Map<String, Object> ratios(Map<String, Object> ours, Map<String, Object> theirs) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        if (ours == null || theirs == null) {
            return ratios;
        }
        ratios.put("images_per_s", ratio(number(ours, "images_per_s", "median"), number(theirs, "images_per_s", "median")));
        for (String merge : REFERENCE_MERGES) {
            ratios.put(merge + "_ms", ratio(number(ours, "merge_ms", merge, "median"),
                    number(theirs, "merge_ms", merge, "median")));
        }
        // the reference trains and runs avg and gradual: our peak over the same (and pair_half), without REPAIR and alignment
        ratios.put("peak_rss", ratio(number(ours, "peak_rss_merges_mib"), number(theirs, "peak_rss_mib")));
        return ratios;
    }

    private static Double ratio(Double ours, Double theirs) {
        return ours == null || theirs == null || theirs == 0 ? null : ours / theirs;
    }

    /** The number at {@code keys} in nested JSON maps, or {@code null}. */
    private static Double number(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            if (!(value instanceof Map<?, ?> m)) {
                return null;
            }
            value = m.get(key);
        }
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(Map<String, Object> row, String side) {
        return (Map<String, Object>) row.get(side);
    }

    private static String progress(Map<String, Object> row) {
        Map<String, Object> ours = values(row, "ours");
        Map<String, Object> theirs = values(row, "reference");
        StringBuilder line = new StringBuilder();
        line.append(ours == null ? "ours failed, " + row.get("ours_error")
                : "ours " + format(number(ours, "images_per_s", "median"), "%.0f") + " img/s");
        if (theirs != null) {
            line.append(", reference ").append(format(number(theirs, "images_per_s", "median"), "%.0f"))
                    .append(" img/s (ours/ref ").append(format(number(row, "ratios", "images_per_s"), "%.2fx"))
                    .append(")");
        } else if (row.get("reference_error") != null) {
            line.append(", reference failed: ").append(row.get("reference_error"));
        }
        if (ours != null) {
            Double avg = number(ours, "merge_ms", "avg", "median");
            if (avg != null) {
                line.append("; avg merge ").append(ms(avg)).append(" ms");
            }
            line.append("; peak RSS ").append(format(number(ours, "peak_rss_merges_mib"), "%.0f"));
            if (theirs != null) {
                line.append(" / ref ").append(format(number(theirs, "peak_rss_mib"), "%.0f"));
            }
            line.append(" MiB");
        }
        return line.toString();
    }

    private String header(Map<String, Object> settings, Map<String, Object> machine, Reference reference) {
        String lines = String.format(Locale.ROOT, "papa bench: %s path, batch %d per member on 3x32x32 synthetic images,"
                + " %d torch threads, %d warm-up (raised to %d member steps) + %d timed repeats of %d population steps%n",
                String.join(" and ", paths), batchSize, threads, warmup, WARMUP_MEMBER_STEPS, repeats, steps);
        lines += String.format(Locale.ROOT, "machine: %s cores (%s), %s, Java %s, JVM heap %s; load average %s at start%s%n",
                machine.get("cores"), machine.get("cpu"), machine.get("os"), machine.get("java"), settings.get("heap"),
                machine.get("load_average_start"), machine.containsKey("load_average_end")
                        ? ", " + machine.get("load_average_end") + " at the end" : "");
        lines += reference.unavailable() == null
                ? "reference: " + reference.script() + " with PyTorch " + reference.torch() + " (" + python + ")"
                : "reference: " + reference.unavailable() + "; reporting our numbers alone";
        return lines;
    }

    private static String tables(List<Map<String, Object>> results) {
        StringBuilder text = new StringBuilder();
        text.append("Population training step: images/s summed over members, median [min, max] of the repeats;"
                + " ours/ref above 1 means we are faster\n");
        text.append(String.format(Locale.ROOT, "%-10s %5s %-10s  %-22s %-22s %8s%n", "arch", "n_pop", "path", "ours",
                "reference", "ours/ref"));
        for (Map<String, Object> row : results) {
            text.append(String.format(Locale.ROOT, "%-10s %5s %-10s  %-22s %-22s %8s%n", row.get("arch"), row.get("n_pop"),
                    row.get("path"), rate(values(row, "ours")), rate(values(row, "reference")),
                    format(number(row, "ratios", "images_per_s"), "%.2fx")));
        }
        text.append("\nMerges: ms, median of the repeats; repair = REPAIR with n_iter 5, permutation = weight matching"
                + " to member 0;\n  avg/step = avg merge over one population step; ours/ref below 1 means we are faster\n");
        text.append(String.format(Locale.ROOT, "%-10s %5s %-10s %9s %9s %9s %9s %11s %8s | %9s %11s | %8s %8s%n", "arch",
                "n_pop", "path", "avg", "pair_half", "gradual", "repair", "permutation", "avg/step", "ref avg", "ref gradual",
                "avg x", "grad x"));
        for (Map<String, Object> row : results) {
            Map<String, Object> ours = values(row, "ours");
            Map<String, Object> theirs = values(row, "reference");
            List<Object> cells = new ArrayList<>(List.of(row.get("arch"), row.get("n_pop"), row.get("path")));
            for (String merge : MERGES) {
                cells.add(ours == null ? "-" : ms(number(ours, "merge_ms", merge, "median")));
            }
            cells.add(format(stepShare(ours), "%.1f%%"));
            for (String merge : REFERENCE_MERGES) {
                cells.add(theirs == null ? "-" : ms(number(theirs, "merge_ms", merge, "median")));
            }
            for (String merge : REFERENCE_MERGES) {
                cells.add(format(number(row, "ratios", merge + "_ms"), "%.2fx"));
            }
            text.append(String.format(Locale.ROOT, "%-10s %5s %-10s %9s %9s %9s %9s %11s %8s | %9s %11s | %8s %8s%n",
                    cells.toArray()));
        }
        text.append("\nPeak resident memory, MiB: after training; after avg, pair_half and gradual too; at the end (after"
                + " REPAIR and alignment);\n  the reference after training and after avg and gradual; ours/ref compares"
                + " the peaks over the same work\n");
        text.append(String.format(Locale.ROOT, "%-10s %5s %-10s %11s %12s %9s %11s %12s %9s%n", "arch", "n_pop", "path",
                "ours train", "ours merges", "ours end", "ref train", "ref merges", "ours/ref"));
        for (Map<String, Object> row : results) {
            Map<String, Object> ours = values(row, "ours");
            Map<String, Object> theirs = values(row, "reference");
            text.append(String.format(Locale.ROOT, "%-10s %5s %-10s %11s %12s %9s %11s %12s %9s%n", row.get("arch"),
                    row.get("n_pop"), row.get("path"),
                    ours == null ? "-" : format(number(ours, "peak_rss_train_mib"), "%.0f"),
                    ours == null ? "-" : format(number(ours, "peak_rss_merges_mib"), "%.0f"),
                    ours == null ? "-" : format(number(ours, "peak_rss_mib"), "%.0f"),
                    theirs == null ? "-" : format(number(theirs, "peak_rss_train_mib"), "%.0f"),
                    theirs == null ? "-" : format(number(theirs, "peak_rss_mib"), "%.0f"),
                    format(number(row, "ratios", "peak_rss"), "%.2fx")));
        }
        // a reference failure is shared by the paths' rows: listed once
        java.util.Set<String> errors = new java.util.LinkedHashSet<>();
        for (Map<String, Object> row : results) {
            for (String side : List.of("ours", "reference")) {
                if (row.get(side + "_error") != null) {
                    errors.add(row.get("arch") + " n_pop " + row.get("n_pop") + " " + side + ": " + row.get(side + "_error"));
                }
            }
        }
        if (!errors.isEmpty()) {
            text.append("\nFailed:\n");
            errors.forEach(e -> text.append("  ").append(e).append('\n'));
        }
        return text.toString();
    }

    /** The avg merge's median over one population step's median time, in percent. */
    private static Double stepShare(Map<String, Object> ours) {
        if (ours == null) {
            return null;
        }
        Double avg = number(ours, "merge_ms", "avg", "median");
        Double rate = number(ours, "images_per_s", "median");
        Double batch = number(ours, "batch_size");
        Double nPop = number(ours, "n_pop");
        return avg == null || rate == null || batch == null || nPop == null ? null
                : 100 * avg / (1000 * batch * nPop / rate);
    }

    private static String rate(Map<String, Object> values) {
        if (values == null) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f [%.0f, %.0f]", number(values, "images_per_s", "median"),
                number(values, "images_per_s", "min"), number(values, "images_per_s", "max"));
    }

    private static String ms(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.0f", value);
    }

    private static String format(Double value, String pattern) {
        return value == null ? "-" : String.format(Locale.ROOT, pattern, value);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.version"));
        return machine;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine makes every number here slower. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
