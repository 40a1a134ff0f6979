package io.papa.engine.fused;

import static io.papa.engine.fused.FusionFixtures.maxDifference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.papa.api.MixingMatrix;
import io.papa.engine.fused.FusionFixtures.Arch;
import io.papa.engine.fused.FusionFixtures.TestNet;
import io.papa.engine.merge.Mixer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A merge on the fused layout equals {@link Mixer} on the separate members. */
class FusedMergeTest {

    private static final double TOLERANCE = 1e-6;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static MixingMatrix matrix(String kind) {
        switch (kind) {
            case "uniform":
                return MixingMatrix.uniform(3);
            case "papa-pull": {
                // PAPA's gradual pull a*I + (1-a)/n
                double a = 0.99;
                double[][] w = new double[3][3];
                for (int k = 0; k < 3; k++) {
                    for (int j = 0; j < 3; j++) {
                        w[k][j] = (k == j ? a : 0) + (1 - a) / 3;
                    }
                }
                return new MixingMatrix(w, "pull");
            }
            case "pairs":
                // PAPA-2: each child the average of two parents
                return new MixingMatrix(new double[][] {{0.5, 0.5, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}}, "pairs");
            case "soup":
                return new MixingMatrix(new double[][] {{0.2, 0.3, 0.5}, {0.2, 0.3, 0.5}, {0.2, 0.3, 0.5}}, "soup");
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "papa-pull", "pairs", "soup"})
    void mixOnTheFusedLayoutEqualsMixer(String kind) {
        MixingMatrix m = matrix(kind);
        List<TestNet> members = FusionFixtures.members(Arch.RESNET, 3, 13, manager);
        FusedNetwork fused = PopulationFuser.fuse(members.get(0).block(), 3, Arch.RESNET.input, manager);
        fused.load(members);

        fused.mix(m);
        double[][] weights = new double[3][];
        for (int k = 0; k < 3; k++) {
            weights[k] = m.row(k);
        }
        Mixer.mix(members, weights, members);

        double difference = maxDifference(fused, members);
        assertTrue(difference < TOLERANCE, kind + ": max abs difference " + difference);
        if (m.rowsEqual()) {
            for (String name : members.get(0).parameters().keySet()) {
                assertEquals(0.0, maxDifference(fused.part(name, fused.parameters().get(name).getArray(), 0),
                        fused.part(name, fused.parameters().get(name).getArray(), 2)), name);
            }
        }
    }
}
