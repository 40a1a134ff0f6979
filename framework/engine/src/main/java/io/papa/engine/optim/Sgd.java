package io.papa.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/** torch.optim.SGD without Nesterov: d = g + wd*w; buf = m*buf + d (buf = d at first); w -= lr*buf. */
final class Sgd implements MemberOptimizer {

    private final double momentum;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();

    Sgd(double momentum, double weightDecay, NDManager manager) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.manager = manager;
    }

    @Override
    public void update(String name, NDArray weight, NDArray gradient, double lr) {
        // temporaries are closed at once: they would otherwise live as long as the weight's manager
        try (NDArray decayed = weightDecay != 0 ? weight.mul(weightDecay).addi(gradient) : null) {
            NDArray direction = decayed != null ? decayed : gradient;
            if (momentum != 0) {
                String key = name + ".momentum";
                NDArray buffer = buffers.get(key);
                if (buffer == null) {
                    buffer = direction.duplicate();
                    buffer.attach(manager);
                    buffers.put(key, buffer);
                } else {
                    buffer.muli(momentum).addi(direction);
                }
                direction = buffer;
            }
            try (NDArray delta = direction.mul(lr)) {
                weight.subi(delta);
            }
        }
    }

    @Override
    public Map<String, NDArray> state() {
        return buffers;
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void restore(Map<String, NDArray> state, Map<String, Long> counters) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        state.forEach((key, value) -> {
            value.attach(manager);
            buffers.put(key, value);
        });
    }
}
