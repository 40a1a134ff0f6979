package io.papa.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import java.util.Map;

/**
 * One member's optimiser, with the update rules of torch.optim so runs match the reference. Its
 * state (momentum, moments) is keyed by parameter name and exposed for checkpoints; merges leave it
 * untouched, as the reference does.
 */
public interface MemberOptimizer {

    /**
     * Updates {@code weight} from {@code gradient} at learning rate {@code lr}. Called outside any
     * gradient collector with autograd off.
     */
    void update(String name, NDArray weight, NDArray gradient, double lr);

    /** Named state arrays (e.g. {@code name.momentum}); live views for checkpointing. */
    Map<String, NDArray> state();

    /** Scalars of the state (e.g. Adam's step count). */
    Map<String, Long> counters();

    /** Replaces the state with a checkpoint's (arrays are attached to the optimiser's manager). */
    void restore(Map<String, NDArray> state, Map<String, Long> counters);

    static MemberOptimizer create(String name, double momentum, double weightDecay, NDManager manager) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd":
                return new Sgd(momentum, weightDecay, manager);
            case "adamw":
                return new Adam(weightDecay, true, manager);
            case "adam":
                return new Adam(weightDecay, false, manager);
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid: sgd, adamw, adam");
        }
    }
}
