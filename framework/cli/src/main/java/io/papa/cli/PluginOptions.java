package io.papa.cli;

import io.papa.engine.plugin.PluginHost;
import io.papa.engine.plugin.PluginProblem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The plugin directory option shared by every command. */
final class PluginOptions {

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "Directory of plugin jars (default: $PAPA_PLUGINS_DIR, else ./plugins).")
    List<Path> directories;

    PluginHost load(PrintStream err) {
        List<Path> dirs = directories;
        if (dirs == null || dirs.isEmpty()) {
            String env = System.getenv("PAPA_PLUGINS_DIR");
            dirs = List.of(Path.of(env != null && !env.isBlank() ? env : "plugins"));
        }
        PluginHost host = PluginHost.load(dirs);
        for (PluginProblem problem : host.problems()) {
            err.println("papa: warning: plugin " + problem.file() + " was not loaded: " + problem.reason());
        }
        return host;
    }
}
