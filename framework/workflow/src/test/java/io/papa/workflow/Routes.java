package io.papa.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.papa.engine.plugin.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** The repository's route files and plugin jars, and tiny settings that train in seconds. */
public final class Routes {

    /** Where the reactor copies every built-in plugin jar. */
    public static final Path PLUGINS = Path.of("../../plugins").toAbsolutePath().normalize();
    /** The shipped route files. */
    public static final Path WORKFLOWS = Path.of("../../workflows").toAbsolutePath().normalize();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PluginHost host;

    private Routes() {
    }

    /** One plugin host for the test JVM: loading the jars takes a while. */
    public static synchronized PluginHost host() {
        if (host == null) {
            if (!Files.isDirectory(PLUGINS)) {
                throw new IllegalStateException("no plugin directory at " + PLUGINS + "; run the reactor build");
            }
            host = PluginHost.load(PLUGINS);
        }
        return host;
    }

    public static Path file(String name) {
        return WORKFLOWS.resolve(name);
    }

    /**
     * Overrides that make any shipped route train in a second or two: 1000 digits, a CNN of width 8,
     * two members, two epochs, on the CPU.
     */
    public static Map<String, String> tiny(Path output) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("output", output.toString());
        values.put("limit", "1000");
        values.put("width", "8");
        values.put("n_pop", "2");
        values.put("epochs", "2");
        values.put("batch_size", "32");
        values.put("lr", "0.05");
        values.put("device", "cpu");
        return values;
    }

    /** {@code values} without the keys {@code file} does not use (every_k_epochs is not in papa.yaml). */
    public static Map<String, String> usedBy(Path file, Map<String, String> values) {
        try {
            String text = Files.readString(file);
            Map<String, String> used = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (text.contains("{{" + k + ":")) {
                    used.put(k, v);
                }
            });
            return used;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads, starts and runs every entry route of {@code files}; returns the last exchange. */
    public static Exchange run(List<Path> files, Workflow.Settings settings) {
        try (Workflow workflow = Workflow.load(host(), files, settings)) {
            workflow.start();
            Exchange last = null;
            for (var route : workflow.entryRoutes()) {
                last = workflow.run(route.getInput().getEndpointUri());
            }
            return last;
        }
    }

    public static Exchange run(Path file, Map<String, String> overrides) {
        return run(List.of(file), Workflow.Settings.quiet().withOverrides(usedBy(file, overrides)));
    }

    public static JsonNode results(Path run) {
        try {
            return JSON.readTree(run.resolve("results.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What must be equal between two runs of one configuration: every final number, each epoch's
     * training losses (and accuracies), and what each merge did. Timings and dates are left out.
     */
    public static JsonNode numbers(Path run) {
        JsonNode report = results(run);
        var out = JSON.createObjectNode();
        out.set("results", report.path("results"));
        out.set("config", report.path("config"));
        var epochs = out.putArray("epochs");
        for (JsonNode epoch : report.path("history")) {
            epochs.addObject().put("epoch", epoch.path("epoch").asInt()).put("merged", epoch.path("merged").asBoolean())
                    .set("trainLoss", epoch.path("trainLoss"));
        }
        var merges = out.putArray("merges");
        for (JsonNode merge : report.path("merges")) {
            merges.add(merge.path("epoch").asInt() + "@" + merge.path("step").asLong() + " " + merge.path("strategy")
                    .asText() + ": " + merge.path("description").asText());
        }
        return out;
    }

    /** A copy of a shipped route file in {@code directory} with {@code replacements} (old, new, old, new...). */
    public static Path edited(Path directory, String name, String... replacements) {
        try {
            String text = Files.readString(file(name));
            for (int i = 0; i < replacements.length; i += 2) {
                if (!text.contains(replacements[i])) {
                    throw new IllegalArgumentException(name + " has no '" + replacements[i] + "'");
                }
                text = text.replace(replacements[i], replacements[i + 1]);
            }
            Files.createDirectories(directory);
            Path copy = directory.resolve(name);
            Files.writeString(copy, text);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines that the step log printed. */
    public static final class Log implements java.util.function.Consumer<String> {
        public final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void accept(String line) {
            lines.add(line);
        }
    }
}
