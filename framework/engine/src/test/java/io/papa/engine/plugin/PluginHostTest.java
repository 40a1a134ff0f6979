package io.papa.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.api.MergeStrategy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginHostTest {

    @TempDir
    Path work;

    @Test
    void aPluginJarBuiltByTheTestIsLoadedFromItsDirectory() throws Exception {
        Path plugins = work.resolve("plugins");
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "acme-merges", "acme", ">=0.1.0"), plugins);
        try (PluginHost host = PluginHost.load(plugins)) {
            ProvidedExtension<MergeStrategy> found = host.find(MergeStrategy.class, "acme");
            assertEquals("acme-merges", found.pluginId());
            assertEquals("1.2.3", found.pluginVersion());
            assertEquals("acme@acme-merges:1.2.3", found.coordinates());
            assertTrue(host.plugins().contains("acme-merges:1.2.3"));
            assertTrue(host.problems().isEmpty(), host.problems().toString());
            // the extension's class comes from the plugin's own class loader, the API from the host's
            assertTrue(found.extension().getClass().getClassLoader() != MergeStrategy.class.getClassLoader());
        }
    }

    @Test
    void aCorruptJarIsReportedByFileNameAndTheOthersStillLoad() throws Exception {
        Path plugins = work.resolve("plugins");
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "good-plugin", "good", ">=0.1.0"), plugins);
        PluginJars.garbage(plugins, "broken.jar");
        try (PluginHost host = PluginHost.load(plugins)) {
            assertEquals("good", host.get(MergeStrategy.class, "good").id());
            assertEquals(1, host.problems().size());
            PluginProblem problem = host.problems().get(0);
            assertEquals("broken.jar", problem.file().getFileName().toString());
            assertTrue(!problem.reason().isBlank());
        }
    }

    @Test
    void aPluginForANewerApiIsReportedAndNotLoaded() throws Exception {
        Path plugins = work.resolve("plugins");
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "future-plugin", "future", ">=9.0.0"), plugins);
        try (PluginHost host = PluginHost.load(plugins)) {
            assertEquals(1, host.problems().size(), host.problems().toString());
            assertEquals("future-plugin.jar", host.problems().get(0).file().getFileName().toString());
            PluginException unknown = assertThrows(PluginException.class, () -> host.find(MergeStrategy.class, "future"));
            assertTrue(unknown.getMessage().contains("future-plugin.jar"), unknown.getMessage());
        }
    }

    @Test
    void twoPluginsClaimingTheSameIdIsAClearError() throws Exception {
        Path plugins = work.resolve("plugins");
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "first-plugin", "dup", ">=0.1.0"), plugins);
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "second-plugin", "dup", ">=0.1.0"), plugins);
        PluginException error = assertThrows(PluginException.class, () -> PluginHost.load(plugins));
        assertTrue(error.getMessage().contains("'dup'"), error.getMessage());
        assertTrue(error.getMessage().contains("first-plugin.jar"), error.getMessage());
        assertTrue(error.getMessage().contains("second-plugin.jar"), error.getMessage());
    }

    @Test
    void anUnknownIdListsTheValidOnes() throws Exception {
        Path plugins = work.resolve("plugins");
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "one-plugin", "alpha", ">=0.1.0"), plugins);
        PluginJars.moveInto(PluginJars.mergeStrategyPlugin(work, "two-plugin", "beta", ">=0.1.0"), plugins);
        try (PluginHost host = PluginHost.load(plugins)) {
            PluginException error = assertThrows(PluginException.class, () -> host.find(MergeStrategy.class, "gamma"));
            assertEquals("unknown merge strategy 'gamma'; valid: alpha, beta", error.getMessage());
        }
    }

    @Test
    void aMissingPluginDirectoryIsNamed() {
        Path missing = work.resolve("nowhere");
        PluginException error = assertThrows(PluginException.class, () -> PluginHost.load(missing));
        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }
}
