package io.papa.plugins.architectures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TorchNamesTest {

    private static final List<String> BN = List.of("weight", "bias", "running_mean", "running_var");
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** PyTorch key -> shape, from the network's own parameters through its stateDictNames. */
    private static Map<String, List<Long>> torchShapes(Architecture architecture, ImageShape input, int classes) {
        Block block = Nets.initialized(manager, architecture, input, classes);
        Map<String, String> names = architecture.stateDictNames(block);
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            String key = names.get(parameter.getKey());
            assertTrue(key != null, "no PyTorch name for " + parameter.getKey());
            List<Long> shape = new ArrayList<>();
            for (long d : parameter.getValue().getArray().getShape().getShape()) {
                shape.add(d);
            }
            assertTrue(shapes.put(key, shape) == null, "two parameters named " + key);
        }
        return shapes;
    }

    @Test
    void resnet50NamesAndShapesAreTorchvisionsStateDict() throws IOException {
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        // keys and shapes written by torchvision 0.14's resnet50().state_dict() (num_batches_tracked left out)
        try (InputStream in = getClass().getResourceAsStream("torchvision-resnet50-state-dict.json")) {
            Map<?, ?> json = new ObjectMapper().readValue(in, Map.class);
            json.forEach((key, shape) -> expected.put((String) key,
                    ((List<?>) shape).stream().map(d -> ((Number) d).longValue()).toList()));
        }
        assertEquals(expected, torchShapes(new Resnet50(), new ImageShape(3, 64, 64), 1000));
    }

    @Test
    void resnet18NamesFollowTheReferencesModules() {
        Set<String> expected = new HashSet<>();
        expected.add("conv1.weight");
        BN.forEach(s -> expected.add("bn1." + s));
        for (int layer = 1; layer <= 4; layer++) {
            for (int block = 0; block < 2; block++) {
                String p = "layer" + layer + "." + block + ".";
                expected.addAll(List.of(p + "conv1.weight", p + "conv2.weight"));
                for (String s : BN) {
                    expected.addAll(List.of(p + "bn1." + s, p + "bn2." + s));
                }
            }
            if (layer > 1) {
                String shortcut = "layer" + layer + ".0.shortcut.";
                expected.add(shortcut + "0.weight");
                BN.forEach(s -> expected.add(shortcut + "1." + s));
            }
        }
        expected.addAll(List.of("linear.weight", "linear.bias"));
        Map<String, List<Long>> shapes = torchShapes(new Resnet18(), Nets.CIFAR, 10);
        assertEquals(expected, shapes.keySet());
        assertEquals(List.of(128L, 64L, 1L, 1L), shapes.get("layer2.0.shortcut.0.weight"));
        assertEquals(List.of(10L, 512L), shapes.get("linear.weight"));
    }

    @Test
    void resnet20HasNoShortcutParameters() {
        Map<String, List<Long>> shapes = torchShapes(new Resnet20(), Nets.CIFAR, 10);
        assertEquals(List.of(16L, 3L, 3L, 3L), shapes.get("conv1.weight"));
        assertEquals(List.of(64L, 64L, 3L, 3L), shapes.get("layer3.2.conv2.weight"));
        assertEquals(List.of(10L, 64L), shapes.get("linear.weight"));
        assertTrue(shapes.keySet().stream().noneMatch(k -> k.contains("shortcut")));
        assertEquals(1 + 4 + 9 * (2 + 8) + 2, shapes.size());
    }

    @Test
    void vggNamesCountEveryModuleOfTheFeaturesSequential() {
        Map<String, List<Long>> shapes = torchShapes(new Vgg11(), Nets.CIFAR, 10);
        // VGG11: conv(0) bn(1) relu(2) M(3) conv(4) bn(5) relu(6) M(7) conv(8) ...
        assertEquals(List.of(64L, 3L, 3L, 3L), shapes.get("features.0.weight"));
        assertEquals(List.of(64L), shapes.get("features.1.running_var"));
        assertEquals(List.of(128L, 64L, 3L, 3L), shapes.get("features.4.weight"));
        assertEquals(List.of(256L), shapes.get("features.8.bias"));
        assertEquals(List.of(10L, 512L), shapes.get("classifier.weight"));
        assertEquals(8 * 2 + 8 * 4 + 2, shapes.size());
        assertTrue(shapes.keySet().stream().allMatch(k -> k.startsWith("features.") || k.startsWith("classifier.")),
                String.join(",", shapes.keySet()));
    }

    @Test
    void resnet50HasTorchvisionsParameterCount() {
        Block block = Nets.initialized(manager, new Resnet50(), new ImageShape(3, 64, 64), 1000);
        long trainable = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                trainable += Arrays.stream(p.getValue().getArray().getShape().getShape()).reduce(1, (a, b) -> a * b);
            }
        }
        assertEquals(25_557_032L, trainable);
    }
}
