package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each shipped route file, unchanged, runs end to end on a tiny slice of the bundled digits. */
class RouteFilesTest {

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "papa-all.yaml, avg, 1",
        "papa-2.yaml, pair_half, 1",
        "papa.yaml, gradual, 2",
        "independent.yaml, none, 0"})
    void aShippedRouteRunsEndToEnd(String file, String strategy, int merges) {
        Path run = work.resolve("run");
        Map<String, String> overrides = Routes.tiny(run);
        overrides.put("every_k_epochs", "1");
        Exchange done = Routes.run(Routes.file(file), overrides);

        String summary = done.getMessage().getBody(String.class);
        assertTrue(summary.contains("Models Mean [min, max] & Ens & AvgSoup & GreedySoup = "), summary);
        assertTrue(Files.exists(run.resolve("summary.txt")) && Files.exists(run.resolve("results.txt")));
        JsonNode report = Routes.results(run);
        assertEquals(strategy, report.path("config").path("mergeStrategy").asText());
        assertEquals(2, report.path("results").path("members").size());
        assertEquals(2, report.path("history").size(), "both epochs trained");
        // merges after epoch 0 only (never after the last); PAPA logs its first pull of each epoch
        assertEquals(merges, report.path("merges").size(), report.path("merges").toString());
        assertTrue(report.path("results").path("ensemble").asDouble() > 0.2,
                "10 classes: chance is 0.1, got " + report.path("results").path("ensemble"));
        assertEquals(Boolean.TRUE, done.getMessage().getHeader("PapaDone"));
    }
}
