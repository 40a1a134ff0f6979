package io.papa.engine.weights;

import ai.djl.Model;
import ai.djl.nn.Block;
import io.papa.engine.population.Population;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes one network (a member, a soup, a merged model) for use outside a papa run: as a PyTorch
 * state dict in safetensors ({@code load_state_dict} in PyTorch), or as a DJL model directory that
 * DJL's model zoo ({@code Criteria.optModelUrls("file:DIR")}) and papa's {@code zoo:} source load.
 */
public final class ModelExport {

    private ModelExport() {
    }

    public static void safetensors(Path file, Population population, io.papa.api.Network network,
            Map<String, String> metadata) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StateDict.save(file, network, population.architecture().extension().stateDictNames(network.block()), metadata);
    }

    /**
     * {@code DIR/DIR-0000.params} plus {@code serving.properties}: DJL takes a model's name from its
     * directory, so {@code Criteria.optModelUrls("file:DIR")} finds the parameters without more options.
     */
    public static void djlModel(Path directory, Block block, Map<String, String> properties) throws IOException {
        String name = directory.toAbsolutePath().normalize().getFileName().toString();
        Files.createDirectories(directory);
        try (Model model = Model.newInstance(name, "PyTorch")) {
            model.setBlock(block);
            properties.forEach(model::setProperty);
            model.save(directory, name);
        }
        StringBuilder serving = new StringBuilder("engine=PyTorch\n");
        properties.forEach((k, v) -> serving.append(k).append('=').append(v).append('\n'));
        Files.writeString(directory.resolve("serving.properties"), serving.toString());
    }
}
