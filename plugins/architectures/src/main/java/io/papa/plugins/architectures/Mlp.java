package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.papa.api.Architecture;
import io.papa.api.ImageShape;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** A multi-layer perceptron on the flattened image: hidden Linear + ReLU layers, then Linear to the classes. */
@Extension
public final class Mlp implements Architecture {

    static final String ID = "mlp";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Multi-layer perceptron on the flattened image (hidden Linear + ReLU layers)";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.text("hidden", "512,256",
                "comma-separated hidden layer sizes, e.g. 512,256; empty for none (softmax regression)"));
    }

    @Override
    public Block build(ImageShape input, int numClasses, Options options) {
        Inputs.requireClasses(ID, numClasses);
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : hiddenSizes(options.getString("hidden"))) {
            net.add(Linear.builder().setUnits(units).build()).add(Layers.relu());
        }
        net.add(Linear.builder().setUnits(numClasses).build());
        return TorchInit.pytorchDefault(net);
    }

    static List<Integer> hiddenSizes(String spec) {
        List<Integer> sizes = new ArrayList<>();
        if (spec.isBlank()) {
            return sizes;
        }
        for (String part : spec.split(",")) {
            int units;
            try {
                units = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                units = -1;
            }
            if (units <= 0) {
                throw new IllegalArgumentException(ID + ": option 'hidden' needs positive integers separated by"
                        + " commas, got '" + spec + "'");
            }
            sizes.add(units);
        }
        return sizes;
    }
}
