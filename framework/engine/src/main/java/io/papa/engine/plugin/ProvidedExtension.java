package io.papa.engine.plugin;

import io.papa.api.PapaExtension;
import java.nio.file.Path;

/**
 * An extension together with where it came from, for listings and provenance.
 *
 * @param source the plugin jar, or {@code null} for extensions on the host class path
 */
public record ProvidedExtension<T extends PapaExtension>(
        Class<T> kind, T extension, String pluginId, String pluginVersion, Path source) {

    public String id() {
        return extension.id();
    }

    /** {@code id@plugin:version}, as recorded in results and checkpoints. */
    public String coordinates() {
        return extension.id() + "@" + pluginId + ":" + pluginVersion;
    }
}
