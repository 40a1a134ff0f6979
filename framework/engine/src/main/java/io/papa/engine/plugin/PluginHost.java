package io.papa.engine.plugin;

import io.papa.api.OptionSpec;
import io.papa.api.Options;
import io.papa.api.PapaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.JarPluginRepository;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginRepository;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;

/**
 * Loads every plugin jar of the plugin directories and indexes their extensions by kind and id.
 * A jar that cannot be loaded is recorded as a {@link PluginProblem} naming the file and the reason,
 * and the other jars still load; two extensions of one kind claiming the same id is an error, since
 * a route file naming that id would be ambiguous. Extensions on the host class path (an application
 * embedding papa) are indexed too, under the plugin id {@code classpath}.
 */
public final class PluginHost implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    /** The API version plugins declare in {@code Plugin-Requires}. */
    public static final String API_VERSION = "0.1.0";

    private final PluginManager manager;
    private final List<Path> directories;
    private final List<PluginProblem> problems = new ArrayList<>();
    private final Map<ExtensionKind, Map<String, ProvidedExtension<?>>> registry = new EnumMap<>(ExtensionKind.class);

    private PluginHost(List<Path> directories) {
        this.directories = List.copyOf(directories);
        this.manager = new JarsOnlyPluginManager(directories);
        for (ExtensionKind kind : ExtensionKind.values()) {
            registry.put(kind, new TreeMap<>());
        }
    }

    /** Loads every {@code *.jar} directly inside the given directories. */
    public static PluginHost load(List<Path> directories) {
        PluginHost host = new PluginHost(directories);
        host.loadJars();
        host.index();
        return host;
    }

    public static PluginHost load(Path... directories) {
        return load(List.of(directories));
    }

    private void loadJars() {
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new PluginException("plugin directory " + directory.toAbsolutePath()
                        + " does not exist; build the project (mvn package) or pass --plugins-dir");
            }
            List<Path> jars;
            try (Stream<Path> files = Files.list(directory)) {
                jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
            } catch (IOException e) {
                throw new PluginException("cannot list plugin directory " + directory + ": " + e.getMessage());
            }
            for (Path jar : jars) {
                try {
                    String id = manager.loadPlugin(jar);
                    PluginWrapper wrapper = manager.getPlugin(id);
                    if (wrapper.getPluginState() == PluginState.FAILED) {
                        problems.add(new PluginProblem(jar, reason(wrapper.getFailedException())));
                        manager.unloadPlugin(id);
                    }
                } catch (RuntimeException e) {
                    problems.add(new PluginProblem(jar, reason(e)));
                }
            }
        }
        manager.startPlugins();
        for (PluginWrapper wrapper : List.copyOf(manager.getPlugins())) {
            if (wrapper.getPluginState() != PluginState.STARTED) {
                String why = wrapper.getFailedException() != null ? reason(wrapper.getFailedException())
                        : "plugin is " + wrapper.getPluginState() + " (does it require a newer papa than "
                                + API_VERSION + "?)";
                problems.add(new PluginProblem(wrapper.getPluginPath(), why));
            }
        }
    }

    private void index() {
        for (ExtensionKind kind : ExtensionKind.values()) {
            addAll(kind, null, "classpath", API_VERSION, null);
            for (PluginWrapper wrapper : manager.getStartedPlugins()) {
                addAll(kind, wrapper.getPluginId(), wrapper.getPluginId(),
                        wrapper.getDescriptor().getVersion(), wrapper.getPluginPath());
            }
        }
    }

    private <T extends PapaExtension> void addAll(ExtensionKind kind, String pluginId, String label, String version,
            Path source) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) kind.type();
        List<T> found;
        try {
            found = manager.getExtensions(type, pluginId);
        } catch (RuntimeException e) {
            problems.add(new PluginProblem(source == null ? Path.of("classpath") : source,
                    "cannot create its " + kind.label() + " extensions: " + reason(e)));
            return;
        }
        for (T extension : found) {
            String id;
            try {
                id = extension.id();
                // a declared default must itself be valid; required options (no default) are checked at use
                for (OptionSpec spec : extension.options()) {
                    if (spec.defaultValue() != null) {
                        Options.resolve(kind.label() + " '" + id + "'", List.of(spec), Map.of());
                    }
                }
            } catch (RuntimeException e) {
                problems.add(new PluginProblem(source == null ? Path.of("classpath") : source,
                        extension.getClass().getName() + " is invalid: " + reason(e)));
                continue;
            }
            if (id == null || !ID.matcher(id).matches()) {
                problems.add(new PluginProblem(source == null ? Path.of("classpath") : source,
                        kind.label() + " " + extension.getClass().getName() + " has an invalid id '" + id
                                + "'; ids are lower-case letters, digits, '-', '_' and '.'"));
                continue;
            }
            ProvidedExtension<T> provided = new ProvidedExtension<>(type, extension, label, version, source);
            ProvidedExtension<?> previous = registry.get(kind).putIfAbsent(id, provided);
            if (previous != null) {
                throw new PluginException("two plugins claim the " + kind.label() + " id '" + id + "': "
                        + where(previous) + " and " + where(provided) + "; remove one of them from "
                        + directories.stream().map(Path::toString).collect(Collectors.joining(", ")));
            }
        }
    }

    private static String where(ProvidedExtension<?> provided) {
        return provided.source() == null ? "the class path (" + provided.extension().getClass().getName() + ")"
                : provided.source().getFileName().toString();
    }

    private static String reason(Throwable error) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (reason.indexOf(message) < 0) {
                if (reason.length() > 0) {
                    reason.append(": ");
                }
                reason.append(message);
            }
        }
        return reason.toString();
    }

    /** The extension of this kind with this id, or a {@link PluginException} listing the valid ids. */
    public <T extends PapaExtension> ProvidedExtension<T> find(Class<T> type, String id) {
        ExtensionKind kind = ExtensionKind.of(type);
        @SuppressWarnings("unchecked")
        ProvidedExtension<T> provided = (ProvidedExtension<T>) registry.get(kind).get(id);
        if (provided == null) {
            Collection<String> valid = registry.get(kind).keySet();
            throw new PluginException("unknown " + kind.label() + " '" + id + "'; "
                    + (valid.isEmpty() ? "no " + kind.label() + " plugin is loaded" : "valid: " + String.join(", ", valid))
                    + problemHint());
        }
        return provided;
    }

    public <T extends PapaExtension> T get(Class<T> type, String id) {
        return find(type, id).extension();
    }

    private String problemHint() {
        return problems.isEmpty() ? "" : " (" + problems.size() + " plugin jar(s) failed to load: "
                + problems.stream().map(PluginProblem::toString).collect(Collectors.joining("; ")) + ")";
    }

    /** Every extension of one kind, sorted by id. */
    public List<ProvidedExtension<?>> extensions(ExtensionKind kind) {
        return List.copyOf(registry.get(kind).values());
    }

    /** Loaded plugins as {@code id:version}, for provenance. */
    public List<String> plugins() {
        return manager.getStartedPlugins().stream()
                .sorted(Comparator.comparing(PluginWrapper::getPluginId))
                .map(w -> w.getPluginId() + ":" + w.getDescriptor().getVersion())
                .collect(Collectors.toList());
    }

    public List<PluginProblem> problems() {
        return List.copyOf(problems);
    }

    public List<Path> directories() {
        return directories;
    }

    @Override
    public void close() {
        // one by one in reverse order: stopPlugins() can throw ConcurrentModificationException in some PF4J versions
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        for (int i = started.size() - 1; i >= 0; i--) {
            manager.stopPlugin(started.get(i).getPluginId());
        }
    }

    /** Only jars, never the plugin source folders that sit beside them in {@code plugins/}. */
    private static final class JarsOnlyPluginManager extends DefaultPluginManager {

        JarsOnlyPluginManager(List<Path> roots) {
            super(roots);
        }

        @Override
        public RuntimeMode getRuntimeMode() {
            return RuntimeMode.DEPLOYMENT;
        }

        @Override
        protected PluginRepository createPluginRepository() {
            return new JarPluginRepository(getPluginsRoots());
        }

        @Override
        protected PluginLoader createPluginLoader() {
            return new JarPluginLoader(this);
        }

        @Override
        protected PluginDescriptorFinder createPluginDescriptorFinder() {
            return new ManifestPluginDescriptorFinder();
        }

        @Override
        protected void initialize() {
            super.initialize();
            setSystemVersion(API_VERSION);
        }
    }
}
