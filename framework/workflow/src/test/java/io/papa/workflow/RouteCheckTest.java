package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.engine.plugin.PluginHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed route file fails when the CamelContext starts, before anything trains, naming the
 * file, the line, the option and what is valid.
 */
class RouteCheckTest {

    @TempDir
    Path work;

    /** Loads and starts an edited papa-all.yaml; returns the message it fails with. */
    private String failure(String... replacements) {
        Path file = Routes.edited(work.resolve("routes"), "papa-all.yaml", replacements);
        Path output = work.resolve("never");
        WorkflowException error = assertThrows(WorkflowException.class,
                () -> Routes.run(file, Routes.tiny(output)));
        assertFalse(Files.exists(output), "nothing may be created or trained: " + error.getMessage());
        assertTrue(error.getMessage().startsWith(file.toString() + ":"), "names the file: " + error.getMessage());
        return error.getMessage();
    }

    /** The 1-based line of the first line containing {@code text}; a step's line is its {@code - to:} line. */
    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(text);
    }

    @Test
    void malformedYamlIsNamedWithItsLine() throws IOException {
        String message = failure("        - loop:\n", "        - loop: [\n");
        // the parser names the line where it noticed: the broken flow sequence's next key
        int line = lineOf(work.resolve("routes/papa-all.yaml"), "- loop: [");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("papa-all\\.yaml:(\\d+):\\d+: expected ',' or ']'")
                .matcher(message);
        assertTrue(m.find(), message);
        int reported = Integer.parseInt(m.group(1));
        assertTrue(reported >= line && reported <= line + 2, "line " + reported + " for a break at line " + line);
    }

    @Test
    void anUnknownYamlKeyIsNamedWithItsLine() throws IOException {
        String message = failure("doWhile: true", "doWhilee: true");
        assertTrue(message.contains("papa-all.yaml:" + lineOf(work.resolve("routes/papa-all.yaml"), "doWhilee")
                + ":"), message);
        assertTrue(message.contains("Unsupported field: doWhilee"), message);
    }

    @Test
    void anUnknownEndpointOptionNamesTheValidOptions() throws IOException {
        String message = failure("nPop: \"{{n_pop:5}}\"", "nPopp: \"{{n_pop:5}}\"");
        assertTrue(message.contains("papa-all.yaml:" + (lineOf(work.resolve("routes/papa-all.yaml"), "uri: papa:create") - 1)
                + ": papa:create has no option 'nPopp'; valid options: output, dataset, dataset.*, architecture"), message);
    }

    @Test
    void anUnknownPluginIdNamesTheValidIds() {
        String message = failure("architecture: \"{{arch:cnn}}\"", "architecture: \"{{arch:resnet999}}\"");
        assertTrue(message.contains("unknown architecture 'resnet999'; valid: cnn, mlp, resnet18"), message);
        message = failure("strategy: avg", "strategy: average");
        assertTrue(message.contains("unknown merge strategy 'average'; valid: avg, gradual"), message);
    }

    @Test
    void anOutOfRangeValueNamesTheOptionAndTheValidRange() throws IOException {
        String message = failure("nPop: \"{{n_pop:5}}\"", "nPop: \"0\"");
        assertTrue(message.endsWith("papa:create: invalid nPop = 0; expected an integer >= 1"), message);
        message = failure("everyKEpochs: \"{{every_k_epochs:5}}\"", "everyKEpochs: \"0\"");
        assertTrue(message.contains("papa-all.yaml:" + (lineOf(work.resolve("routes/papa-all.yaml"), "uri: papa:merge") - 1)
                + ": papa:merge: invalid everyKEpochs = 0; expected an integer >= 1"), message);
        message = failure("optim: \"{{optim:sgd}}\"", "optim: \"sgdd\"");
        assertTrue(message.endsWith("papa:create option optim: 'sgdd' is not valid; expected one of sgd, adamw, adam"),
                message);
        message = failure("dataset.limit: \"{{limit:}}\"", "dataset.limit: \"-5\"");
        assertTrue(message.contains("dataset 'digits': option 'limit' value '-5' is out of range"), message);
    }

    @Test
    void anOverrideNoRouteUsesIsRejected() {
        WorkflowException error = assertThrows(WorkflowException.class, () -> Routes.run(List.of(
                Routes.file("papa-all.yaml")), Workflow.Settings.quiet().withOverrides(Map.of("n_popp", "3"))));
        assertTrue(error.getMessage().startsWith("--set n_popp: no route file uses {{n_popp}}; they use: arch,"),
                error.getMessage());
    }

    @Test
    void aMissingAlignerPluginIsNamedWhenTheRouteStarts() throws IOException {
        Path plugins = work.resolve("plugins");
        Files.createDirectories(plugins);
        try (Stream<Path> jars = Files.list(Routes.PLUGINS)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar") && !p.toString().contains("permutation"))
                    .toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Path output = work.resolve("never");
        try (PluginHost host = PluginHost.load(plugins);
                Workflow workflow = Workflow.load(host, List.of(Routes.file("independent.yaml")),
                        Workflow.Settings.quiet().withOverrides(Routes.usedBy(Routes.file("independent.yaml"),
                                Routes.tiny(output))))) {
            WorkflowException error = assertThrows(WorkflowException.class, workflow::start);
            assertTrue(error.getMessage().contains("independent.yaml:"), error.getMessage());
            assertTrue(error.getMessage().contains("papa:evaluate needs the aligner 'permutation' of the"
                    + " papa-permutation plugin, which is not loaded"), error.getMessage());
        }
        assertFalse(Files.exists(output));
    }
}
