package io.papa.plugins.architectures;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.papa.api.nn.Residual;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch {@code state_dict} keys for the networks this plugin builds, named as the reference's
 * modules are (kuangliu's CIFAR ResNet-18 and VGG, the CIFAR ResNet-20, torchvision's ResNet-50),
 * so weights move between papa and PyTorch with {@code load_state_dict}.
 */
final class TorchNames {

    /** How a ResNet names its projection shortcut and classifier. */
    enum ResNetStyle {
        /** kuangliu ResNet-18 and the CIFAR ResNet-20: {@code shortcut.0/1}, {@code linear}. */
        CIFAR("shortcut", "linear"),
        /** torchvision: {@code downsample.0/1}, {@code fc}. */
        TORCHVISION("downsample", "fc");

        final String shortcut;
        final String classifier;

        ResNetStyle(String shortcut, String classifier) {
            this.shortcut = shortcut;
            this.classifier = classifier;
        }
    }

    private TorchNames() {}

    /** conv1/bn1, layer{s}.{b}.conv{i}/bn{i} and the shortcut, then the classifier. */
    static Map<String, String> resnet(Block net, ResNetStyle style) {
        Map<String, String> names = new LinkedHashMap<>();
        int stage = 0;
        int stemConvs = 0;
        int stemNorms = 0;
        for (Pair<String, Block> child : net.getChildren()) {
            String key = child.getKey();
            Block block = child.getValue();
            if (block instanceof Conv2d) {
                leaf(names, key, block, "conv" + (++stemConvs));
            } else if (block instanceof BatchNorm) {
                leaf(names, key, block, "bn" + (++stemNorms));
            } else if (block instanceof Linear) {
                leaf(names, key, block, style.classifier);
            } else if (block instanceof SequentialBlock stageBlock) {
                stage++;
                int b = 0;
                for (Pair<String, Block> unit : stageBlock.getChildren()) {
                    residualUnit(names, key + "_" + unit.getKey(), unit.getValue(), "layer" + stage + "." + b++, style);
                }
            }
        }
        return names;
    }

    private static void residualUnit(Map<String, String> names, String prefix, Block unit, String torch, ResNetStyle style) {
        for (Pair<String, Block> part : unit.getChildren()) {
            if (part.getValue() instanceof Residual residual) {
                String at = prefix + "_" + part.getKey();
                numbered(names, at + "_" + residual.getChildren().get(0).getKey(), residual.main(), torch + ".");
                Block shortcut = residual.shortcut();
                int i = 0;
                for (Pair<String, Block> layer : shortcut.getChildren()) {
                    leaf(names, at + "_" + residual.getChildren().get(1).getKey() + "_" + layer.getKey(), layer.getValue(),
                            torch + "." + style.shortcut + "." + i++);
                }
            }
        }
    }

    /** conv1, bn1, conv2, bn2, ... in order. */
    private static void numbered(Map<String, String> names, String prefix, Block main, String torch) {
        int convs = 0;
        int norms = 0;
        for (Pair<String, Block> layer : main.getChildren()) {
            Block block = layer.getValue();
            if (block instanceof Conv2d) {
                leaf(names, prefix + "_" + layer.getKey(), block, torch + "conv" + (++convs));
            } else if (block instanceof BatchNorm) {
                leaf(names, prefix + "_" + layer.getKey(), block, torch + "bn" + (++norms));
            }
        }
    }

    /**
     * kuangliu VGG: {@code features.i} counting every module of its nn.Sequential (conv, BN, ReLU,
     * max-pool), then {@code classifier}. Our VGG ends with flatten + linear, which are not features.
     */
    static Map<String, String> vgg(Block net) {
        Map<String, String> names = new LinkedHashMap<>();
        var children = net.getChildren();
        for (int i = 0; i < children.size() - 2; i++) {
            leaf(names, children.get(i).getKey(), children.get(i).getValue(), "features." + i);
        }
        Pair<String, Block> classifier = children.get(children.size() - 1);
        leaf(names, classifier.getKey(), classifier.getValue(), "classifier");
        return names;
    }

    private static void leaf(Map<String, String> names, String prefix, Block block, String torch) {
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            names.put(prefix + "_" + parameter.getKey(), torch + "." + suffix(parameter.getValue()));
        }
    }

    private static String suffix(Parameter parameter) {
        switch (parameter.getType()) {
            case GAMMA:
                return "weight";
            case BETA:
                return "bias";
            case RUNNING_MEAN:
                return "running_mean";
            case RUNNING_VAR:
                return "running_var";
            default:
                return parameter.getName();
        }
    }
}
