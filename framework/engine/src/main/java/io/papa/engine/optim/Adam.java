package io.papa.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * torch.optim.Adam / AdamW with betas (0.9, 0.999) and eps 1e-8. AdamW decays the weight directly
 * ({@code w *= 1 - lr*wd}); Adam adds {@code wd*w} to the gradient (L2), as torch does.
 */
final class Adam implements MemberOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final double weightDecay;
    private final boolean decoupled;
    private final NDManager manager;
    private final Map<String, NDArray> moments = new LinkedHashMap<>();
    private final Map<String, Long> steps = new LinkedHashMap<>();

    Adam(double weightDecay, boolean decoupled, NDManager manager) {
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.manager = manager;
    }

    @Override
    public void update(String name, NDArray weight, NDArray gradient, double lr) {
        long t = steps.merge(name + ".step", 1L, Long::sum);
        NDArray first = moment(name + ".exp_avg", weight);
        NDArray second = moment(name + ".exp_avg_sq", weight);
        if (decoupled && weightDecay != 0) {
            weight.muli(1 - lr * weightDecay);
        }
        try (NDArray l2 = !decoupled && weightDecay != 0 ? weight.mul(weightDecay).addi(gradient) : null) {
            NDArray g = l2 != null ? l2 : gradient;
            try (NDArray scaled = g.mul(1 - BETA1); NDArray squared = g.square().muli(1 - BETA2)) {
                first.muli(BETA1).addi(scaled);
                second.muli(BETA2).addi(squared);
            }
        }
        double bias1 = 1 - Math.pow(BETA1, t);
        double bias2 = 1 - Math.pow(BETA2, t);
        try (NDArray denominator = second.sqrt().divi(Math.sqrt(bias2)).addi(EPS);
                NDArray delta = first.div(denominator).muli(lr / bias1)) {
            weight.subi(delta);
        }
    }

    private NDArray moment(String key, NDArray like) {
        return moments.computeIfAbsent(key, k -> manager.zeros(like.getShape(), like.getDataType(), like.getDevice()));
    }

    @Override
    public Map<String, NDArray> state() {
        return moments;
    }

    @Override
    public Map<String, Long> counters() {
        return steps;
    }

    @Override
    public void restore(Map<String, NDArray> state, Map<String, Long> counters) {
        moments.values().forEach(NDArray::close);
        moments.clear();
        state.forEach((key, value) -> {
            value.attach(manager);
            moments.put(key, value);
        });
        steps.clear();
        steps.putAll(counters);
    }
}
