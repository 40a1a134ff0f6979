package io.papa.workflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every paper-reproduction configuration in examples/ passes the route check with every route its
 * header names: plugin ids, option names and values are valid (nothing is trained).
 */
class PaperExamplesTest {

    private static final Path EXAMPLES = Path.of("../../examples").toAbsolutePath().normalize();

    @Test
    void everyExampleConfigurationStartsWithTheRoutesItNames() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            files = walk.filter(p -> p.toString().endsWith(".properties") && !p.toString().contains("/target/"))
                    .sorted().toList();
        }
        assertTrue(files.size() >= 8, "examples/paper and examples/quickstart: " + files);
        for (Path file : files) {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                properties.load(in);
            }
            List<String> routes = Files.readAllLines(file).stream().filter(l -> l.contains("./papa run workflows/"))
                    .map(l -> l.substring(l.indexOf("workflows/") + "workflows/".length()).split("\\s+")[0])
                    .filter(r -> !r.equals("imagenet-prepare.yaml")).distinct().toList();
            assertTrue(!routes.isEmpty(), file + " names no route");
            for (String route : routes) {
                try (Workflow workflow = Workflow.load(Routes.host(), List.of(Routes.file(route)),
                        Workflow.Settings.quiet().withProperties(properties))) {
                    workflow.start();
                } catch (RuntimeException e) {
                    throw new AssertionError(file.getFileName() + " with " + route + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
