package io.papa.engine.population;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs the already compiled {@link TestAverageMerge} into a PF4J plugin jar with its own extension index. */
final class TestPluginJar {

    static final String PLUGIN_ID = "test-merges";
    static final String VERSION = "1.0.0";

    private TestPluginJar() {
    }

    /** Writes {@code test-merges.jar} into {@code directory} (created if needed) and returns the directory. */
    static Path mergeStrategyPlugin(Path directory) throws IOException {
        Files.createDirectories(directory);
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", PLUGIN_ID);
        attributes.putValue("Plugin-Version", VERSION);
        attributes.putValue("Plugin-Class", "io.papa.api.PapaPlugin");
        attributes.putValue("Plugin-Requires", ">=0.1.0");
        Class<?> strategy = TestAverageMerge.class;
        String classFile = strategy.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = strategy.getClassLoader().getResourceAsStream(classFile)) {
            if (in == null) {
                throw new IOException("cannot read " + classFile + " from the test class path");
            }
            bytes = in.readAllBytes();
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(directory.resolve(PLUGIN_ID + ".jar")),
                manifest)) {
            put(out, "META-INF/extensions.idx", (strategy.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            put(out, classFile, bytes);
        }
        return directory;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
