package io.papa.engine.weights;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.papa.api.Network;
import io.papa.engine.checkpoint.CheckpointStore;
import io.papa.engine.checkpoint.SafeTensors;
import io.papa.engine.merge.Mixer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Where a fine-tuned population starts from. A source is one of:
 * <ul>
 *   <li>{@code safetensors:FILE} (or any path ending in {@code .safetensors}): a PyTorch state dict
 *       as timm, torchvision and Hugging Face publish it, matched through the architecture's PyTorch names;</li>
 *   <li>{@code run:DIR}: a papa run directory; its latest checkpoint's uniform soup;</li>
 *   <li>{@code zoo:URL}: a DJL model-zoo artifact (a model directory or archive, {@code file:} URLs
 *       work offline) holding parameters for this architecture, loaded through DJL's {@code Criteria}
 *       with the class count of {@code zoo:URL#classes=N} (default: the population's).</li>
 * </ul>
 * The classifier head ({@code head}) always keeps its fresh initialisation, as fine-tuning for a new
 * task does (timm replaces the classifier for a new class count; here the classes are new even when
 * their count is the same); every other tensor must match by name and shape, or loading fails naming it.
 */
public final class Pretrained {

    private Pretrained() {
    }

    /**
     * @param names the architecture's PyTorch names (for state dicts)
     * @param blockWithClasses builds an uninitialised block of this architecture for a class count (for zoo models)
     */
    public static StateDict.LoadReport load(String source, Network target, Map<String, String> names, Set<String> head,
            IntFunction<Block> blockWithClasses, int numClasses) {
        try {
            if (source.startsWith("run:")) {
                return fromRun(Path.of(source.substring(4)), target, head);
            }
            if (source.startsWith("zoo:")) {
                return fromZoo(source.substring(4), target, head, blockWithClasses, numClasses);
            }
            String file = source.startsWith("safetensors:") ? source.substring("safetensors:".length()) : source;
            if (!file.endsWith(".safetensors")) {
                throw new IllegalArgumentException("pretrained source '" + source
                        + "': expected safetensors:FILE, a .safetensors path, run:DIR or zoo:URL");
            }
            if (!Files.isRegularFile(Path.of(file))) {
                throw new IllegalArgumentException("pretrained state dict " + file + " does not exist");
            }
            return StateDict.load(Path.of(file), target, names, head, true);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read pretrained weights from " + source + ": " + e.getMessage(), e);
        }
    }

    private static StateDict.LoadReport fromRun(Path run, Network target, Set<String> head) throws IOException {
        CheckpointStore.Checkpoint checkpoint = new CheckpointStore(run, 1).latest().orElseThrow(() ->
                new IllegalArgumentException("pretrained run " + run + " has no checkpoint (expected "
                        + run.resolve("checkpoints") + ")"));
        NDManager manager = target.parameters().values().iterator().next().getArray().getManager();
        try (NDManager scope = manager.newSubManager();
                Stream<Path> files = Files.list(checkpoint.directory())) {
            List<Path> members = files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            Map<String, NDArray> soup = new LinkedHashMap<>();
            for (Path member : members) {
                SafeTensors.read(member, scope).tensors().forEach((key, value) -> {
                    if (key.startsWith("param/")) {
                        soup.merge(key.substring(6), value, NDArray::add);
                    }
                });
            }
            soup.replaceAll((key, sum) -> sum.div(members.size()));
            return copy(soup, target, head, "run " + run);
        }
    }

    private static StateDict.LoadReport fromZoo(String spec, Network target, Set<String> head,
            IntFunction<Block> blockWithClasses, int numClasses) throws IOException {
        String url = spec;
        int classes = numClasses;
        int hash = spec.indexOf("#classes=");
        if (hash >= 0) {
            url = spec.substring(0, hash);
            classes = Integer.parseInt(spec.substring(hash + "#classes=".length()));
        }
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelUrls(url).optBlock(blockWithClasses.apply(classes)).optEngine("PyTorch")
                .optTranslator(new NoopTranslator()).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            Map<String, NDArray> values = new LinkedHashMap<>();
            model.getBlock().getParameters().forEach(p -> values.put(p.getKey(), p.getValue().getArray()));
            return copy(values, target, head, "model-zoo artifact " + url);
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IllegalArgumentException("cannot load model-zoo artifact " + url + ": " + e.getMessage(), e);
        }
    }

    /** Copies by DJL name; only the head may be absent or differ in shape. */
    private static StateDict.LoadReport copy(Map<String, NDArray> values, Network target, Set<String> head, String what) {
        List<String> loaded = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<String, Parameter> entry : target.parameters().entrySet()) {
            NDArray value = values.remove(entry.getKey());
            NDArray array = entry.getValue().getArray();
            if (head.contains(entry.getKey())) {
                kept.add(entry.getKey());
                continue;
            }
            if (value == null || !value.getShape().equals(array.getShape())) {
                throw new IllegalArgumentException(what + (value == null ? " has no parameter " + entry.getKey()
                        : ": parameter " + entry.getKey() + " has shape " + value.getShape() + ", the network's is "
                                + array.getShape()) + "; was it trained with the same architecture and options?");
            }
            Mixer.assign(array, value.toDevice(array.getDevice(), false));
            loaded.add(entry.getKey());
        }
        return new StateDict.LoadReport(loaded, kept, List.copyOf(values.keySet()));
    }
}
