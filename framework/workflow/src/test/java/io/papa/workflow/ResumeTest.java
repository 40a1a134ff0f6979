package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.papa.engine.checkpoint.CorruptCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route stopped between its stages and run again into the same directory ends with exactly the
 * numbers of an uninterrupted run; a corrupt checkpoint is named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeTest {

    @TempDir
    static Path work;

    private JsonNode uninterrupted;

    /** Three epochs, merges after the first two: stops can fall before a merge or after one. */
    private Map<String, String> settings(Path output) {
        Map<String, String> values = Routes.tiny(output);
        values.put("epochs", "3");
        values.put("every_k_epochs", "1");
        return values;
    }

    /** papa-all.yaml that stops the exchange once a training stage has reached {@code epoch}. */
    private Path stoppingAfterEpoch(int epoch) {
        String train = " ".repeat(20) + "until: nextMerge\n";
        String indent = " ".repeat(14);
        return Routes.edited(work.resolve("stop-" + epoch), "papa-all.yaml", train, train
                + indent + "- filter:\n"
                + indent + "    expression:\n"
                + indent + "      simple:\n"
                + indent + "        expression: \"${header.PapaEpoch} >= " + epoch + "\"\n"
                + indent + "    steps:\n"
                + indent + "      - stop: {}\n");
    }

    @BeforeAll
    void runUninterrupted() {
        Path run = work.resolve("uninterrupted");
        Routes.run(Routes.file("papa-all.yaml"), settings(run));
        uninterrupted = Routes.numbers(run);
        assertEquals(2, uninterrupted.path("merges").size(), uninterrupted.toString());
    }

    @Test
    void stoppedBeforeItsFirstMergeAndRerunItEndsBitIdentical() {
        Path run = work.resolve("before-merge");
        Routes.run(stoppingAfterEpoch(1), settings(run));
        assertFalse(Files.exists(run.resolve("results.json")), "the first run stopped after its first stage");
        Routes.run(Routes.file("papa-all.yaml"), settings(run));
        assertEquals(uninterrupted, Routes.numbers(run));
    }

    @Test
    void stoppedAfterAMergeAndRerunItEndsBitIdentical() {
        Path run = work.resolve("after-merge");
        Routes.Log log = new Routes.Log();
        Routes.run(List.of(stoppingAfterEpoch(2)), Workflow.Settings.quiet().withOverrides(settings(run))
                .withProgress(() -> new io.papa.engine.population.TrainingListener() { }, log));
        assertEquals(1, log.lines.stream().filter(l -> l.startsWith("papa:merge")).count(), log.lines.toString());
        Routes.Log resumed = new Routes.Log();
        Routes.run(List.of(Routes.file("papa-all.yaml")), Workflow.Settings.quiet().withOverrides(settings(run))
                .withProgress(() -> new io.papa.engine.population.TrainingListener() { }, resumed));
        assertTrue(resumed.lines.get(0).contains("resumed after epoch 2"), resumed.lines.toString());
        assertEquals(uninterrupted, Routes.numbers(run));
    }

    @Test
    void rerunningAFinishedRunReportsAgainWithoutTrainingOrMerging() {
        Path run = work.resolve("uninterrupted");
        Routes.Log log = new Routes.Log();
        Routes.run(List.of(Routes.file("papa-all.yaml")), Workflow.Settings.quiet().withOverrides(settings(run))
                .withProgress(() -> new io.papa.engine.population.TrainingListener() { }, log));
        assertTrue(log.lines.stream().noneMatch(l -> l.startsWith("papa:train") || l.startsWith("papa:merge")),
                log.lines.toString());
        assertEquals(uninterrupted, Routes.numbers(run));
    }

    @Test
    void aCorruptCheckpointIsDetectedByItsChecksumAndNamed() throws IOException {
        Path run = work.resolve("corrupt");
        Routes.run(stoppingAfterEpoch(1), settings(run));
        Path latest = run.resolve("checkpoints").resolve(Files.readString(run.resolve("checkpoints/LATEST")).trim());
        Path member = latest.resolve("member-0.safetensors");
        byte[] bytes = Files.readAllBytes(member);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(member, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        CorruptCheckpointException error = assertThrows(CorruptCheckpointException.class,
                () -> Routes.run(Routes.file("papa-all.yaml"), settings(run)));
        assertTrue(error.getMessage().contains("checkpoint file " + member + " is corrupt: SHA-256"), error.getMessage());
    }

    @Test
    void resumeRefusesADirectoryWithoutCheckpoint() {
        Path run = work.resolve("empty");
        WorkflowException error = assertThrows(WorkflowException.class, () -> Routes.run(
                List.of(Routes.file("papa-all.yaml")), Workflow.Settings.quiet().withOverrides(settings(run))
                        .resuming(true)));
        assertTrue(error.getMessage().startsWith("nothing to resume in " + run), error.getMessage());
    }

    @Test
    void aFusedRunStoppedAfterAMergeAndRerunEndsAsItsUninterruptedTwin() {
        // the fused step path through the route: its values and optimiser state reach the checkpoint
        Path straight = work.resolve("fused-uninterrupted");
        Map<String, String> fused = settings(straight);
        fused.put("step_path", "fused");
        Routes.run(Routes.file("papa-all.yaml"), fused);
        JsonNode expected = Routes.numbers(straight);
        assertEquals(2, expected.path("merges").size(), expected.toString());
        assertEquals("fused", expected.path("config").path("stepPath").asText());

        Path run = work.resolve("fused-after-merge");
        Map<String, String> stopped = settings(run);
        stopped.put("step_path", "fused");
        Routes.run(stoppingAfterEpoch(2), stopped);
        assertFalse(Files.exists(run.resolve("results.json")), "the first run stopped after its second stage");
        Routes.run(Routes.file("papa-all.yaml"), stopped);
        assertEquals(expected, Routes.numbers(run));
    }

    @Test
    void aRerunWithOtherSettingsIsRefusedNamingTheDifference() {
        Path run = work.resolve("uninterrupted");
        Map<String, String> other = settings(run);
        other.put("lr", "0.02");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Routes.run(Routes.file("papa-all.yaml"), other));
        assertTrue(error.getMessage().contains("lr: checkpoint 0.05, now 0.02"), error.getMessage());
    }
}
