package io.papa.engine.report;

import ai.djl.engine.Engine;
import io.papa.engine.population.Population;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What made a result: code version, plugins and extension coordinates, dataset identity and
 * checksum, seed, engine and platform. The full configuration is recorded beside it.
 */
public record Provenance(
        String papaVersion,
        String gitCommit,
        String createdAt,
        long seed,
        String dataset,
        String datasetChecksum,
        List<String> extensions,
        List<String> plugins,
        String engine,
        String engineVersion,
        String device,
        String java,
        String os) {

    private static final Properties BUILD = new Properties();

    static {
        try (InputStream in = Provenance.class.getResourceAsStream("/io/papa/engine/build.properties")) {
            if (in != null) {
                BUILD.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read build.properties", e);
        }
    }

    public static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    public static String commit() {
        String commit = BUILD.getProperty("commit", "");
        return commit.isBlank() || commit.startsWith("$") ? "unknown" : commit.trim();
    }

    /** @param extensionCoordinates merge strategy and aligners, beside the population's own extensions */
    public static Provenance of(Population population, List<String> extensionCoordinates) {
        Engine engine = Engine.getInstance();
        List<String> extensions = new ArrayList<>();
        extensions.add(population.architecture().coordinates());
        extensions.add(population.datasetProvider().coordinates());
        extensions.addAll(population.regularizerCoordinates());
        extensions.addAll(extensionCoordinates);
        return new Provenance(version(), commit(), Instant.now().toString(), population.config().seed(),
                population.dataset().name(), population.dataset().checksum(), extensions,
                population.host().plugins(), engine.getEngineName(), engine.getVersion(),
                population.device().toString(), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
}
