package io.papa.plugins.permutation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebugTest {
    @Test
    void debug() {
        Nets.noGrad();
        Nets.Spec spec = Nets.byId("resnet18");
        try (NDManager manager = NDManager.newBaseManager()) {
            TestNetwork a = Nets.trained(manager, spec, 5);
            TestNetwork b = Nets.trained(manager, spec, 6);
            ChannelSpaces spaces = Nets.spaces(a);
            List<NDArray> batches = Nets.batches(manager, spec.input(), 3, 16);
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                for (NDArray x : batches) { a.forward(x, false); b.forward(x, false); }
                long t1 = System.nanoTime();
                ActivationMatching.correlations(spaces, a, b, batches);
                long t2 = System.nanoTime();
                System.out.println("forward " + (t1 - t0) / 1e6 + " ms, correlations " + (t2 - t1) / 1e6 + " ms");
            }
        }
    }
}
