package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.papa.engine.merge.Mixer;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import io.papa.engine.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of papa bench that need no benchmark run (which takes minutes and a quiet machine). */
class BenchCommandTest {

    @Test
    void anUnknownPathIsRejectedNamingTheValidOnes() {
        Cli.Result result = Cli.run("bench", "--path", "per-member,vectorised");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--path vectorised: expected per-member or fused"), result.err());
    }

    @Test
    void bothPathsTrainAndMergeInTheirOwnJvmsAndShareOneTable(@TempDir Path out) throws Exception {
        // a tiny real run: two members of the small CNN, one timed step, every merge, no reference
        Cli.Result result = Cli.run("bench", "--arch", "cnn", "--n-pop", "2", "--batch-size", "8", "--warmup", "0",
                "--repeats", "1", "--steps", "1", "--threads", "1", "--path", "per-member,fused", "--no-reference",
                "-o", out.toString());
        assertEquals(0, result.exitCode(), result.out() + result.err());
        JsonNode rows = ReportWriter.json().readTree(out.resolve("bench-results.json").toFile()).get("results");
        assertEquals(2, rows.size());
        for (int i = 0; i < 2; i++) {
            JsonNode ours = rows.get(i).get("ours");
            assertEquals(i == 0 ? "per-member" : "fused", rows.get(i).get("path").asText());
            assertEquals(rows.get(i).get("path").asText(), ours.get("path").asText());
            assertTrue(ours.get("images_per_s").get("median").asDouble() > 0, ours.toString());
            for (String merge : List.of("avg", "pair_half", "gradual", "repair", "permutation")) {
                assertTrue(ours.get("merge_ms").get(merge).get("median").asDouble() > 0, merge + " in " + ours);
            }
        }
        String table = Files.readString(out.resolve("bench-results.txt"));
        assertTrue(table.contains("per-member and fused path"), table);
        assertTrue(table.lines().anyMatch(line -> line.startsWith("cnn") && line.contains(" fused ")), table);
    }

    @Test
    void warmUpCoversTwentyMemberStepsUnlessNoneIsAsked() {
        BenchCommand bench = new BenchCommand();
        bench.steps = 5;
        bench.warmup = 1;
        assertEquals(4, bench.warmupRepeats(1));
        assertEquals(2, bench.warmupRepeats(3));
        assertEquals(1, bench.warmupRepeats(10));
        bench.warmup = 3;
        assertEquals(3, bench.warmupRepeats(10));
        bench.warmup = 0;
        assertEquals(0, bench.warmupRepeats(1));
    }

    @Test
    void anUntunedLinuxProcessIsToldWhichAllocatorSettingsToExport() {
        String hint = NativeAllocator.hint(Map.of(), "Linux");
        assertTrue(hint.contains("MALLOC_MMAP_THRESHOLD_=268435456"), hint);
        assertTrue(hint.contains("MALLOC_TRIM_THRESHOLD_=1073741824"), hint);
        assertNull(NativeAllocator.hint(NativeAllocator.SETTINGS, "Linux"));
        assertNull(NativeAllocator.hint(Map.of(), "Mac OS X"));
    }

    @Test
    void childProcessesGetTheAllocatorSettingsButKeepTheirOwnValues() {
        ProcessBuilder child = new ProcessBuilder("true");
        child.environment().put("MALLOC_TRIM_THRESHOLD_", "42");
        NativeAllocator.applyTo(child);
        assertEquals("268435456", child.environment().get("MALLOC_MMAP_THRESHOLD_"));
        assertEquals("42", child.environment().get("MALLOC_TRIM_THRESHOLD_"));
    }

    @Test
    void restoringTheSnapshotUndoesAMerge() throws Exception {
        try (PluginHost host = PluginHost.load(Cli.PLUGINS);
                Population population = Population.create(BenchWorker.config("cnn", 2, 8, 1).build(), host)) {
            population.trainStep();
            Member member = population.members().get(1);
            float[] trained = values(member);
            try (BenchWorker.Snapshot snapshot = new BenchWorker.Snapshot(population)) {
                Mixer.mix(population.members(), new double[][] {{0.5, 0.5}, {0.5, 0.5}}, population.members());
                assertFalse(Arrays.equals(trained, values(member)));
                snapshot.restore();
                assertArrayEquals(trained, values(member));
            }
        }
    }

    private static float[] values(Member member) {
        return member.parameters().values().stream().map(p -> p.getArray().toFloatArray())
                .reduce(new float[0], (a, b) -> {
                    float[] joined = Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, joined, a.length, b.length);
                    return joined;
                });
    }
}
