package io.papa.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.papa.engine.eval.FinalResults;
import io.papa.engine.merge.MergeRecord;
import io.papa.engine.population.EpochRecord;
import io.papa.engine.population.PopulationConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report files of a run, from a report built in code (no training). */
class ReportWriterTest {

    @TempDir
    Path work;

    private static RunReport report(long seed, boolean withGreedySoup, boolean evaluatedPerEpoch) {
        PopulationConfig config = PopulationConfig.builder().nPop(2).epochs(2).seed(seed).lr(0.05)
                .regularization("mixup", List.of(0.0, 1.0)).build();
        Provenance provenance = new Provenance("0.1.0", "abc123", "2026-01-01T00:00:00Z", seed, "digits (test)",
                "0123456789abcdef", List.of("cnn@classpath:0.1.0", "avg@papa-merges:0.1.0"),
                List.of("papa-merges:0.1.0"), "PyTorch", "2.7.1", "cpu()", "17", "Linux amd64");
        FinalResults results = new FinalResults(
                List.of(new FinalResults.MemberResult(0, Map.of("mixup", 0.0), 0.9125, 0.31, 0.9),
                        new FinalResults.MemberResult(1, Map.of("mixup", 1.0), 0.8875, 0.35, 0.85)),
                0.9, 0.8875, 0.9125, 0.93,
                new FinalResults.Soup(List.of(0, 1), 0.925, 0.95),
                withGreedySoup ? new FinalResults.Soup(List.of(0), 0.9125, 0.9) : null);
        List<EpochRecord> history = List.of(
                new EpochRecord(0, new double[] {1.2, 1.3}, evaluatedPerEpoch ? new double[] {0.7, 0.72} : null, true,
                        1.5, 800),
                new EpochRecord(1, new double[] {0.6, 0.65}, evaluatedPerEpoch ? new double[] {0.9125, 0.8875} : null,
                        false, 1.4, 850));
        List<MergeRecord> merges = List.of(new MergeRecord(0, 19, "avg", "uniform average", 0.01));
        return new RunReport(provenance, config, results, history, merges, 2.9, 825);
    }

    @Test
    void writesResultsJsonSummaryAndResultsTxt() throws IOException {
        RunReport report = report(4, true, false);
        ReportWriter.write(work, report);

        JsonNode json = ReportWriter.json().readTree(work.resolve("results.json").toFile());
        assertEquals(4, json.get("provenance").get("seed").asLong());
        assertEquals("0123456789abcdef", json.get("provenance").get("datasetChecksum").asText());
        assertEquals("avg@papa-merges:0.1.0", json.get("provenance").get("extensions").get(1).asText());
        assertEquals(2, json.get("config").get("nPop").asInt());
        assertEquals(1.0, json.get("config").get("regularization").get("mixup").get(1).asDouble(), 0);
        assertEquals(0.8875, json.get("results").get("members").get(1).get("testAccuracy").asDouble(), 0);
        assertEquals(0.93, json.get("results").get("ensemble").asDouble(), 0);
        assertEquals(0, json.get("merges").get(0).get("epoch").asInt());
        assertEquals(2, json.get("history").size());

        String summary = Files.readString(work.resolve("summary.txt"));
        assertTrue(summary.contains("model-0 test_acc = 91.25%"), summary);
        assertTrue(summary.contains("model-1 test_acc = 88.75%"), summary);
        assertTrue(summary.contains("Ensemble test_acc = 93.00%"), summary);
        assertTrue(summary.contains("merge after epoch 0 (step 19): uniform average"), summary);
        assertTrue(summary.contains("Models Mean [min, max] & Ens & AvgSoup & GreedySoup = 90.00 [88.75, 91.25]"
                + " & 93.00 & 92.50 & 91.25"), summary);

        List<String> lines = Files.readAllLines(work.resolve("results.txt"));
        assertEquals(2, lines.size());
        assertEquals(4, ReportWriter.json().readTree(lines.get(0)).get("seed").asLong());
        assertEquals(report.results().summaryLine(), lines.get(1));
        // no accuracies per epoch were recorded, so there is nothing to plot
        assertFalse(Files.exists(work.resolve("accuracy.png")));
    }

    @Test
    void resultsTxtIsAppendedWhileTheOtherFilesAreReplacedWhole() throws IOException {
        ReportWriter.write(work, report(1, true, false));
        ReportWriter.write(work, report(2, false, false));
        List<String> lines = Files.readAllLines(work.resolve("results.txt"));
        assertEquals(4, lines.size(), lines.toString());
        assertEquals(1, ReportWriter.json().readTree(lines.get(0)).get("seed").asLong());
        assertEquals(2, ReportWriter.json().readTree(lines.get(2)).get("seed").asLong());
        assertTrue(lines.get(3).endsWith("& n/a"), "no greedy soup without validation data: " + lines.get(3));
        assertEquals(2, ReportWriter.json().readTree(work.resolve("results.json").toFile())
                .get("provenance").get("seed").asLong());
        try (Stream<Path> files = Files.list(work)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary file left");
        }
    }

    @Test
    void accuraciesRecordedPerEpochArePlotted() throws IOException {
        ReportWriter.write(work, report(3, true, true));
        Path plot = work.resolve("accuracy.png");
        byte[] png = Files.readAllBytes(plot);
        assertTrue(png.length > 100);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertEquals('N', png[2]);
        assertEquals('G', png[3]);
        String summary = Files.readString(work.resolve("summary.txt"));
        assertTrue(summary.contains("epoch 0 test accuracy [70.00, 72.00] (after merge)"), summary);
    }
}
