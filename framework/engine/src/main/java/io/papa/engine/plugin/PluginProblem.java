package io.papa.engine.plugin;

import java.nio.file.Path;

/** A plugin jar that could not be loaded; the others still are. */
public record PluginProblem(Path file, String reason) {

    @Override
    public String toString() {
        return file.getFileName() + ": " + reason;
    }
}
