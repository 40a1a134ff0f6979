package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.Network;
import io.papa.api.Options;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.weights.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights in and out as PyTorch state dicts in safetensors files, with the real architecture plugin. */
class StateDictTest {

    private static PluginHost host;
    private static NDManager manager;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        host = PluginHost.load(Cli.PLUGINS);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
        host.close();
    }

    private record Net(Architecture architecture, Block block) implements Network {
        @Override
        public Map<String, Parameter> parameters() {
            Map<String, Parameter> named = new LinkedHashMap<>();
            block.getParameters().forEach(p -> named.put(p.getKey(), p.getValue()));
            return named;
        }

        @Override
        public NDArray forward(NDArray images, boolean training) {
            return block.forward(new ParameterStore(manager, false), new NDList(images), training).singletonOrThrow();
        }

        Map<String, String> names() {
            return architecture.stateDictNames(block);
        }
    }

    private static Net build(String id, Map<String, String> options, ImageShape input, int classes, int seed) {
        Architecture architecture = host.get(Architecture.class, id);
        Engine.getInstance().setRandomSeed(seed);
        Block block = architecture.build(input, classes, Options.resolve(id, architecture.options(), options));
        block.initialize(manager, DataType.FLOAT32, new Shape(1, input.channels(), input.height(), input.width()));
        // non-trivial running statistics
        Net net = new Net(architecture, block);
        net.forward(manager.randomNormal(new Shape(4, input.channels(), input.height(), input.width())), true);
        return net;
    }

    @Test
    void exportThenImportGivesIdenticalParametersAndLogits() throws IOException {
        ImageShape cifar = new ImageShape(3, 32, 32);
        Net source = build("resnet20", Map.of("width", "8"), cifar, 10, 1);
        Net target = build("resnet20", Map.of("width", "8"), cifar, 10, 2);
        Path file = work.resolve("resnet20.safetensors");
        StateDict.save(file, source, source.names(), Map.of("format", "pt"));
        StateDict.LoadReport report = StateDict.load(file, target, target.names(), Set.of());
        assertEquals(source.parameters().size(), report.loaded().size());
        assertTrue(report.unexpected().isEmpty(), report.describe());
        for (String name : source.parameters().keySet()) {
            assertEquals(0f, source.parameters().get(name).getArray().sub(target.parameters().get(name).getArray())
                    .abs().max().getFloat(), name);
        }
        NDArray images = manager.randomNormal(new Shape(3, 3, 32, 32));
        assertEquals(0f, source.forward(images, false).sub(target.forward(images, false)).abs().max().getFloat());
        String header = new String(Files.readAllBytes(file), 8, 4096, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("\"layer1.0.conv1.weight\""), "PyTorch names in the file");
        assertTrue(header.contains("\"bn1.num_batches_tracked\""), "strict load_state_dict needs num_batches_tracked");
    }

    /** A safetensors file written here byte by byte, independently of papa's writer. */
    private static void writeSafetensors(Path file, Map<String, float[]> tensors, Map<String, long[]> shapes)
            throws IOException {
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (String key : tensors.keySet()) {
            long end = offset + 4L * tensors.get(key).length;
            header.append(header.length() > 1 ? "," : "").append('"').append(key).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(java.util.Arrays.toString(shapes.get(key)).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        for (float[] values : tensors.values()) {
            ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                data.putFloat(v);
            }
            out.write(data.array());
        }
        Files.write(file, out.toByteArray());
    }

    @Test
    void aTorchvisionNamedStateDictLoadsIntoResnet50() throws IOException {
        Net net = build("resnet50", Map.of("width", "4"), new ImageShape(3, 32, 32), 7, 3);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Float> expected = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Parameter> entry : net.parameters().entrySet()) {
            String key = net.names().get(entry.getKey());
            Shape shape = entry.getValue().getArray().getShape();
            float value = 0.001f * ++i;
            float[] data = new float[(int) shape.size()];
            java.util.Arrays.fill(data, value);
            tensors.put("module." + key, data);
            shapes.put("module." + key, shape.getShape());
            expected.put(entry.getKey(), value);
        }
        assertTrue(tensors.containsKey("module.layer1.0.downsample.0.weight"), "torchvision naming");
        assertTrue(tensors.containsKey("module.fc.weight"), "torchvision naming");
        Path file = work.resolve("torchvision.safetensors");
        writeSafetensors(file, tensors, shapes);
        StateDict.load(file, net, net.names(), Set.of());
        for (Map.Entry<String, Float> entry : expected.entrySet()) {
            NDArray array = net.parameters().get(entry.getKey()).getArray();
            assertEquals(entry.getValue(), array.max().getFloat(), 1e-7, entry.getKey());
            assertEquals(entry.getValue(), array.min().getFloat(), 1e-7, entry.getKey());
        }
    }

    @Test
    void aWrongShapeOrAMissingKeyNamesTheKey() throws IOException {
        ImageShape cifar = new ImageShape(3, 32, 32);
        Net ten = build("resnet20", Map.of("width", "8"), cifar, 10, 1);
        Net hundred = build("resnet20", Map.of("width", "8"), cifar, 100, 1);
        Path file = work.resolve("ten.safetensors");
        StateDict.save(file, ten, ten.names(), Map.of());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> StateDict.load(file, hundred, hundred.names(), Set.of()));
        assertTrue(shape.getMessage().contains("'linear.weight' has shape (10, 32)"), shape.getMessage());

        // a new head: the classifier may keep its initial values, everything else loads
        String weight = hundred.names().entrySet().stream().filter(e -> e.getValue().equals("linear.weight"))
                .findFirst().orElseThrow().getKey();
        String bias = weight.replace("weight", "bias");
        StateDict.LoadReport report = StateDict.load(file, hundred, hundred.names(), Set.of(weight, bias));
        assertEquals(java.util.List.of("linear.weight", "linear.bias"), report.keptInitial());

        Net wider = build("resnet18", Map.of("width", "4"), cifar, 10, 1);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> StateDict.load(file, wider, wider.names(), Set.of()));
        assertTrue(missing.getMessage().contains("has no tensor 'layer1.0.conv1.weight'")
                || missing.getMessage().contains("'conv1.weight' has shape"), missing.getMessage());
    }
}
