package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path a third-party plugin author takes: the example project under examples/custom-plugin is
 * built by the reactor like any user's Maven project, its jar dropped into a plugins directory,
 * listed by {@code papa plugins} and used by id.
 */
class CustomPluginTest {

    static final Path EXAMPLE_JAR = Path.of("../../examples/custom-plugin/target/papa-trimmed-mean-1.0.0.jar")
            .toAbsolutePath().normalize();

    @TempDir
    Path work;

    private Path plugins;

    @BeforeEach
    void dropJarsIntoAPluginsDirectory() throws IOException {
        assertTrue(Files.isRegularFile(EXAMPLE_JAR), "the reactor builds " + EXAMPLE_JAR);
        plugins = Files.createDirectories(work.resolve("plugins"));
        try (Stream<Path> builtIn = Files.list(Cli.PLUGINS)) {
            for (Path jar : builtIn.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Files.copy(EXAMPLE_JAR, plugins.resolve(EXAMPLE_JAR.getFileName()));
    }

    @Test
    void theExamplePluginIsListedWithItsOption() {
        Cli.Result result = Cli.run("plugins", "--plugins-dir", plugins.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("trimmed_mean"), result.out());
        assertTrue(result.out().contains("(trimmed-mean:1.0.0)"), result.out());
        assertTrue(result.out().contains("--trim"), result.out());
    }

    @Test
    void aRouteFileNamesTheExampleStrategyById() throws IOException {
        // the shipped PAPA-all route as a user edits it: the merge step names the plugin's id
        Path route = work.resolve("trimmed-mean.yaml");
        String papaAll = Files.readString(Path.of("../../workflows/papa-all.yaml"));
        assertTrue(papaAll.contains("strategy: avg"));
        Files.writeString(route, papaAll.replace("strategy: avg", "strategy: trimmed_mean\n                    merge.trim: \"0.34\""));
        Path out = work.resolve("route-run");
        Cli.Result result = Cli.run("run", route.toString(), "--plugins-dir", plugins.toString(),
                "--set", "output=" + out, "--set", "limit=600", "--set", "width=4", "--set", "n_pop=3",
                "--set", "epochs=2", "--set", "every_k_epochs=1", "--set", "repair=false", "--set", "device=cpu");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("trimmed_mean", report.path("config").path("mergeStrategy").asText());
        assertEquals(1, report.path("merges").size());
    }

    @Test
    void aPopulationMergesWithTheExampleStrategy() throws IOException {
        Path out = work.resolve("run");
        Cli.Result result = Cli.run("train", "--plugins-dir", plugins.toString(), "--data-opt", "limit=600",
                "--arch", "cnn", "--arch-opt", "width=4", "--n-pop", "3", "--epochs", "2", "--every-k-epochs", "1",
                "--method-comb", "trimmed_mean", "--merge-opt", "trim=0.34", "--repair", "false", "--device", "cpu",
                "-o", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(1, report.path("merges").size());
        assertEquals("trimmed_mean", report.path("merges").get(0).path("strategy").asText());
        assertTrue(report.path("provenance").path("extensions").toString().contains("trimmed_mean@trimmed-mean:1.0.0"));
    }
}
