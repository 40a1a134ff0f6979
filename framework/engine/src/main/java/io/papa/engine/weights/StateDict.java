package io.papa.engine.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.papa.api.Network;
import io.papa.engine.checkpoint.SafeTensors;
import io.papa.engine.merge.Mixer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network's weights as a PyTorch {@code state_dict} in a safetensors file, named as PyTorch names
 * them when the architecture says how ({@link io.papa.api.Architecture#stateDictNames}), so a
 * PyTorch user can {@code load_state_dict} what papa trained and papa can start from what timm,
 * torchvision or the reference published.
 */
public final class StateDict {

    private static final String TRACKED = "num_batches_tracked";

    private StateDict() {
    }

    /** What a load matched, skipped and could not find. */
    public record LoadReport(List<String> loaded, List<String> keptInitial, List<String> unexpected) {
        public String describe() {
            return loaded.size() + " tensors loaded"
                    + (keptInitial.isEmpty() ? "" : "; kept the initial values of " + keptInitial)
                    + (unexpected.isEmpty() ? "" : "; ignored unmatched keys " + unexpected);
        }
    }

    /**
     * Writes every parameter and running statistic, named by {@code names} (DJL name to PyTorch key;
     * parameters it lacks keep their DJL name), plus a {@code num_batches_tracked} per BatchNorm so
     * that a strict {@code load_state_dict} accepts the file.
     */
    public static void save(Path file, Network network, Map<String, String> names, Map<String, String> metadata)
            throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        NDManager manager = network.parameters().values().iterator().next().getArray().getManager();
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, Parameter> entry : network.parameters().entrySet()) {
                String key = names.getOrDefault(entry.getKey(), entry.getKey());
                tensors.put(key, entry.getValue().getArray());
                if (entry.getValue().getType() == Parameter.Type.RUNNING_VAR && key.endsWith(".running_var")) {
                    String tracked = key.substring(0, key.length() - "running_var".length()) + TRACKED;
                    tensors.put(tracked, scope.create(0L));
                }
            }
            SafeTensors.write(file, tensors, metadata);
        }
    }

    /**
     * Loads a state dict into {@code network}. Keys are matched through {@code names} (a leading
     * {@code module.} from DataParallel is ignored); {@code num_batches_tracked} has no counterpart
     * and is skipped.
     *
     * @param mayKeepInitial parameters (DJL names) that keep their initial values when the file lacks
     *     them or has another shape (a classifier head replaced for a new class count)
     * @throws IllegalArgumentException naming the key when a tensor is missing or has the wrong shape
     */
    public static LoadReport load(Path file, Network network, Map<String, String> names, Set<String> mayKeepInitial)
            throws IOException {
        return load(file, network, names, mayKeepInitial, false);
    }

    /** @param keepInitial whether the {@code mayKeepInitial} parameters keep their values even when the file has them */
    public static LoadReport load(Path file, Network network, Map<String, String> names, Set<String> mayKeepInitial,
            boolean keepInitial) throws IOException {
        NDManager manager = network.parameters().values().iterator().next().getArray().getManager();
        try (NDManager scope = manager.newSubManager()) {
            SafeTensors.Contents contents = SafeTensors.read(file, scope);
            Map<String, NDArray> byKey = new LinkedHashMap<>();
            contents.tensors().forEach((key, value) -> byKey.put(key.startsWith("module.") ? key.substring(7) : key, value));
            List<String> loaded = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Parameter> entry : network.parameters().entrySet()) {
                String key = names.getOrDefault(entry.getKey(), entry.getKey());
                NDArray value = byKey.remove(key);
                NDArray target = entry.getValue().getArray();
                boolean optional = mayKeepInitial.contains(entry.getKey());
                if (optional && keepInitial) {
                    kept.add(key);
                    continue;
                }
                if (value == null) {
                    if (optional) {
                        kept.add(key);
                    } else {
                        missing.add(key);
                    }
                    continue;
                }
                if (!value.getShape().equals(target.getShape())) {
                    if (optional) {
                        kept.add(key);
                        continue;
                    }
                    throw new IllegalArgumentException(file + ": tensor '" + key + "' has shape " + value.getShape()
                            + " but the network's " + entry.getKey() + " is " + target.getShape());
                }
                Mixer.assign(target, value.toDevice(target.getDevice(), false));
                loaded.add(key);
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file + " has no tensor '" + missing.get(0) + "'"
                        + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more: " + missing + ")" : "")
                        + "; unmatched keys in the file: " + unexpected(byKey.keySet()));
            }
            return new LoadReport(loaded, kept, unexpected(byKey.keySet()));
        }
    }

    private static List<String> unexpected(Set<String> keys) {
        return keys.stream().filter(k -> !k.endsWith("." + TRACKED)).toList();
    }
}
