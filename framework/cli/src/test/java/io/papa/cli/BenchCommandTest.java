package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.engine.merge.Mixer;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.Member;
import io.papa.engine.population.Population;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The parts of papa bench that need no benchmark run (which takes minutes and a quiet machine). */
class BenchCommandTest {

    @Test
    void theFusedPathSaysItIsNotAvailable() {
        Cli.Result result = Cli.run("bench", "--path", "fused");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("fused path not available"), result.err());
    }

    @Test
    void restoringTheSnapshotUndoesAMerge() throws Exception {
        try (PluginHost host = PluginHost.load(Cli.PLUGINS);
                Population population = Population.create(BenchWorker.config("cnn", 2, 8, 1), host)) {
            population.trainStep();
            Member member = population.members().get(1);
            float[] trained = values(member);
            try (BenchWorker.Snapshot snapshot = new BenchWorker.Snapshot(population.members(), population.manager())) {
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
