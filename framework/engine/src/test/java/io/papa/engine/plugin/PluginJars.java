package io.papa.engine.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real PF4J plugin jars during a test: compiles a merge strategy extension and packs it with a manifest. */
final class PluginJars {

    private PluginJars() {
    }

    /** A plugin jar {@code pluginId} whose merge strategy has id {@code strategyId}. */
    static Path mergeStrategyPlugin(Path workDir, String pluginId, String strategyId, String requires) throws IOException {
        String className = "Strategy" + Math.abs((pluginId + strategyId).hashCode());
        String source = "package test.plugins;\n"
                + "import io.papa.api.*;\n"
                + "@org.pf4j.Extension public final class " + className + " implements MergeStrategy {\n"
                + "  public String id() { return \"" + strategyId + "\"; }\n"
                + "  public String description() { return \"test strategy from " + pluginId + "\"; }\n"
                + "  public Cadence cadence() { return Cadence.EPOCHS; }\n"
                + "  public MixingMatrix mix(MergeContext c) { return MixingMatrix.uniform(c.populationSize()); }\n"
                + "}\n";
        Path src = workDir.resolve(pluginId + "-src/test/plugins/" + className + ".java");
        Path classes = workDir.resolve(pluginId + "-classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-proc:none", "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), src.toString());
        if (status != 0) {
            throw new IllegalStateException("test plugin did not compile");
        }
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", pluginId);
        attributes.putValue("Plugin-Version", "1.2.3");
        attributes.putValue("Plugin-Class", "io.papa.api.PapaPlugin");
        attributes.putValue("Plugin-Requires", requires);
        Path jar = workDir.resolve(pluginId + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            put(out, "META-INF/extensions.idx", ("test.plugins." + className + "\n").getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    put(out, classes.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    static Path moveInto(Path jar, Path directory) throws IOException {
        Files.createDirectories(directory);
        return Files.move(jar, directory.resolve(jar.getFileName()));
    }

    static Path garbage(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("this is not a zip file".getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    static List<String> ids(PluginHost host, ExtensionKind kind) {
        return host.extensions(kind).stream().map(ProvidedExtension::id).toList();
    }
}
