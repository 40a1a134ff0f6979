package io.papa.cli;

import io.papa.api.OptionSpec;
import io.papa.api.Regularizer;
import io.papa.engine.plugin.ExtensionKind;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.PluginProblem;
import io.papa.engine.plugin.ProvidedExtension;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code papa plugins}: every loaded plugin, its extensions, ids and options. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List every plugin extension with its id and options.")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try (PluginHost host = plugins.load(System.err)) {
            out.println("plugins: " + String.join(", ", host.plugins()) + "  (from " + host.directories() + ")");
            for (ExtensionKind kind : ExtensionKind.all()) {
                out.println();
                out.println(kind.plural().toUpperCase(java.util.Locale.ROOT));
                if (host.extensions(kind).isEmpty()) {
                    out.println("  (none loaded)");
                }
                for (ProvidedExtension<?> provided : host.extensions(kind)) {
                    String extra = provided.extension() instanceof Regularizer r
                            ? "  [" + r.stage().name().toLowerCase(java.util.Locale.ROOT) + ", strength = " + r.strengthName() + "]"
                            : "";
                    out.printf("  %-16s %s%s  (%s:%s)%n", provided.id(), provided.extension().description(), extra,
                            provided.pluginId(), provided.pluginVersion());
                    for (OptionSpec option : provided.extension().options()) {
                        out.printf("      --%-18s %-7s default %-10s %s; %s%n", option.name(),
                                option.type().name().toLowerCase(java.util.Locale.ROOT),
                                option.defaultValue() == null ? "(required)" : option.defaultValue(),
                                option.description(), option.validValues());
                    }
                }
            }
            if (!host.problems().isEmpty()) {
                out.println();
                out.println("NOT LOADED");
                for (PluginProblem problem : host.problems()) {
                    out.println("  " + problem);
                }
            }
        }
        return 0;
    }
}
