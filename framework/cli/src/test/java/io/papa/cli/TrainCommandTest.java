package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: the real command line, the real plugin jars, real training on the bundled digits. */
class TrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** {@code papa train} with small settings; {@code extra} adds options or replaces the base's {@code --epochs}. */
    private JsonNode train(String out, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--data-opt", "limit=2500", "--arch", "cnn", "--arch-opt",
                "width=16", "--batch-size", "32", "--lr", "0.05", "--device", "cpu", "-o", work.resolve(out).toString()));
        if (!List.of(extra).contains("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        args.addAll(List.of(extra));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        return JSON.readTree(work.resolve(out).resolve("results.json").toFile());
    }

    @Test
    void twoMembersTrainedForOneEpochBothBeatChanceAndTheSameSeedReproduces() throws IOException {
        JsonNode first = train("a", "--n-pop", "2", "--method-comb", "none", "--seed", "7");
        JsonNode members = first.path("results").path("members");
        assertEquals(2, members.size());
        for (JsonNode member : members) {
            assertTrue(member.path("testAccuracy").asDouble() > 0.5,
                    "10 classes: chance is 0.1, got " + member.path("testAccuracy"));
        }
        JsonNode second = train("b", "--n-pop", "2", "--method-comb", "none", "--seed", "7");
        assertEquals(first.path("results"), second.path("results"), "same seed, same numbers");
    }

    @Test
    void aPapaAllRunReportsEveryField() throws IOException {
        JsonNode report = train("avg", "--n-pop", "3", "--method-comb", "avg", "--every-k-epochs", "1", "--epochs", "2",
                "--mixup", "0,0.2", "--smooth", "0,0.1", "--eval-every-epoch");
        JsonNode results = report.path("results");
        for (String field : new String[] {"members", "mean", "min", "max", "ensemble", "averageSoup", "greedySoup"}) {
            assertTrue(results.has(field), "results." + field);
        }
        assertEquals(3, results.path("members").size());
        assertTrue(results.path("members").get(0).has("validationAccuracy"));
        assertEquals(1, report.path("merges").size(), "one merge: after epoch 0, never after the last epoch");
        JsonNode provenance = report.path("provenance");
        for (String field : new String[] {"papaVersion", "gitCommit", "seed", "dataset", "datasetChecksum", "extensions",
            "plugins", "engine"}) {
            assertTrue(provenance.has(field), "provenance." + field);
        }
        assertEquals("avg", report.path("config").path("mergeStrategy").asText());
        assertTrue(Files.readString(work.resolve("avg/results.txt")).contains("Models Mean [min, max] & Ens & AvgSoup & GreedySoup = "));
        assertTrue(Files.readString(work.resolve("avg/summary.txt")).contains("AvgSoup(3)"));
        assertTrue(Files.size(work.resolve("avg/accuracy.png")) > 1000, "accuracy plot written");
    }

    @Test
    void anUnknownArchitectureIsRejectedWithTheValidIds() {
        Cli.Result result = Cli.run("train", "--arch", "resnet999", "--epochs", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("unknown architecture 'resnet999'; valid: cnn, mlp, resnet18"), result.err());
    }

    @Test
    void papaWithAnExplicitMethodCombIsAMeaninglessCombination() {
        Cli.Result result = Cli.run("train", "--ema-alpha", "0.99", "--method-comb", "avg", "--epochs", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--ema-alpha 0.99 selects PAPA (gradual)"), result.err());
    }

    @Test
    void anUnknownArchitectureOptionNamesTheValidOptions() {
        Cli.Result result = Cli.run("train", "--arch", "cnn", "--arch-opt", "depth=3", "--epochs", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("architecture 'cnn' has no option 'depth'; valid options: width"), result.err());
    }

    @Test
    void anUnknownRepairShiftNamesTheValidChoices() {
        Cli.Result result = Cli.run("train", "--repair-shift", "bogus", "--epochs", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("aligner 'repair': option 'shift' value 'bogus' is not a valid choice;"
                + " expected one of exact, reference"), result.err());
    }
}
