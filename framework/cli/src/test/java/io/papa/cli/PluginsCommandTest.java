package io.papa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.engine.plugin.ExtensionKind;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.ProvidedExtension;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginsCommandTest {

    private static final List<String> BUILT_IN = List.of(
            "resnet18", "resnet20", "vgg11", "vgg13", "vgg16", "vgg19", "cnn", "mlp",
            "mixup", "cutmix", "label-smoothing", "random-erasing", "random-crop", "hflip",
            "digits", "cifar10", "cifar100", "mnist-idx", "image-folder",
            "none", "avg", "pair_half", "pair_75", "many_half", "many_75", "greedy_soup", "random", "gradual");

    @Test
    void everyBuiltInPluginJarLoadsFromThePluginsDirectory() {
        try (PluginHost host = PluginHost.load(Cli.PLUGINS)) {
            assertTrue(host.problems().isEmpty(), host.problems().toString());
            List<String> ids = ExtensionKind.all().stream()
                    .flatMap(kind -> host.extensions(kind).stream()).map(ProvidedExtension::id).toList();
            for (String id : BUILT_IN) {
                assertTrue(ids.contains(id), "missing built-in extension " + id + " in " + ids);
            }
            for (ExtensionKind kind : ExtensionKind.all()) {
                for (ProvidedExtension<?> provided : host.extensions(kind)) {
                    assertTrue(provided.source() != null, provided.id() + " should come from a plugin jar, not the class path");
                }
            }
        }
    }

    @Test
    void papaPluginsListsEveryExtensionWithItsOptions() {
        Cli.Result result = Cli.run("plugins");
        assertEquals(0, result.exitCode(), result.err());
        for (String id : BUILT_IN) {
            assertTrue(result.out().contains("  " + id + " "), "papa plugins does not list " + id);
        }
        assertTrue(result.out().contains("--ema_alpha"), "options are listed");
        assertTrue(result.out().contains("--padding"), "options are listed");
    }
}
