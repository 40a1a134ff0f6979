package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.papa.workflow.Routes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code papa run} end to end: the real command line, route files, plugin jars, a JVM killed with SIGKILL. */
class RunCommandTest {

    @TempDir
    Path work;

    /** Four epochs, a merge after each of the first three. */
    private static Map<String, String> settings(Path output) {
        Map<String, String> values = Routes.tiny(output);
        values.put("epochs", "4");
        values.put("every_k_epochs", "1");
        return values;
    }

    private static List<String> args(Map<String, String> overrides, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", Routes.file("papa-all.yaml").toString()));
        overrides.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void papaRunRunsARouteFileAndPrintsTheSummary() {
        Path run = work.resolve("run");
        Map<String, String> overrides = Routes.tiny(run);
        overrides.put("every_k_epochs", "1");
        Cli.Result result = Cli.run(args(overrides).toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("papa run: route papa-all ("), result.out());
        assertTrue(result.out().contains("papa:merge " + run + ": after epoch 1: uniform average"), result.out());
        assertTrue(result.out().contains("Models Mean [min, max] & Ens & AvgSoup & GreedySoup = "), result.out());
        assertTrue(result.out().contains("results: " + run.toAbsolutePath()), result.out());
        assertTrue(Files.exists(run.resolve("results.json")));
    }

    @Test
    void aBadOverrideOrRouteFileEndsWithOneClearLine() throws IOException {
        Cli.Result result = Cli.run("run", Routes.file("papa-all.yaml").toString(), "--set", "n_popp=3");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("papa: --set n_popp: no route file uses {{n_popp}}"), result.err());
        Path bad = Routes.edited(work.resolve("bad"), "papa-all.yaml", "nPop: \"{{n_pop:5}}\"", "nPop: \"-1\"");
        result = Cli.run("run", bad.toString(), "--set", "output=" + work.resolve("never"));
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("papa: " + bad + ":"), result.err());
        assertTrue(result.err().contains("papa:create: invalid nPop = -1; expected an integer >= 1"), result.err());
        assertEquals(1, result.err().strip().lines().count(), "one line, no stack trace: " + result.err());
        assertFalse(Files.exists(work.resolve("never")));
    }

    /**
     * A {@code papa run} in its own JVM, killed with SIGKILL once its third epoch's checkpoint is
     * written, then {@code papa run --resume}, ends with the numbers of an uninterrupted run.
     */
    @Test
    void aRunKilledWithSigkillAndResumedEndsBitIdentical() throws Exception {
        Path whole = work.resolve("whole");
        assertEquals(0, Cli.run(args(settings(whole)).toArray(String[]::new)).exitCode());

        Path killed = work.resolve("killed");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                "io.papa.cli.Main"));
        command.addAll(args(settings(killed), "--plugins-dir", Cli.PLUGINS.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("killed.log").toFile()).start();
        try {
            int epoch = waitForCheckpoint(killed, 3, process);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertEquals(137, process.exitValue(), "killed by SIGKILL");
            assertTrue(epoch < 4 && !Files.exists(killed.resolve("results.json")), "killed mid-run, at epoch " + epoch);
        } finally {
            process.destroyForcibly();
        }

        Cli.Result resumed = Cli.run(args(settings(killed), "--resume").toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resumed after epoch 3"), resumed.out());
        assertEquals(Routes.numbers(whole), Routes.numbers(killed));
    }

    /** Waits until the run's latest checkpoint has {@code epochs} epochs; returns its epoch. */
    private static int waitForCheckpoint(Path run, int epochs, Process process) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path latest = run.resolve("checkpoints/LATEST");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "the run ended before it could be killed");
            if (Files.exists(latest)) {
                try {
                    Path manifest = run.resolve("checkpoints").resolve(Files.readString(latest).trim())
                            .resolve("manifest.json");
                    int epoch = json.readTree(manifest.toFile()).path("epoch").asInt();
                    if (epoch >= epochs) {
                        return epoch;
                    }
                } catch (IOException pruned) {
                    // the checkpoint was replaced while we read it: look again
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no checkpoint of epoch " + epochs + " in " + run);
    }
}
