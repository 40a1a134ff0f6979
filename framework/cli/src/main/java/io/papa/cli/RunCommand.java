package io.papa.cli;

import io.papa.engine.plugin.PluginHost;
import io.papa.workflow.Workflow;
import io.papa.workflow.camel.PapaHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code papa run}: route files (YAML) in a CamelContext with the papa component. Every route is
 * checked before anything trains; each {@code direct:} route that no other route calls gets one
 * exchange, and the command waits for it; routes from {@code quartz:} or {@code timer:} keep running
 * until interrupted or {@code --max-runs}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run workflow route files: papa run workflows/papa-all.yaml --set n_pop=10 --set epochs=3")
final class RunCommand implements Callable<Integer> {

    @Mixin
    PluginOptions plugins;

    @Parameters(arity = "1..*", paramLabel = "ROUTE_FILE", description = "YAML route files, e.g. workflows/papa-all.yaml.")
    List<Path> files;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Value of a {{KEY}} placeholder of the route files, over the files' defaults (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--properties", paramLabel = "FILE", description = "Placeholder values from a properties file (--set wins).")
    List<Path> propertyFiles = List.of();

    @Option(names = "--resume",
            description = "Continue runs from their output directories' last checkpoints; fails where there is none."
                    + " Rerunning into the same output directory resumes too.")
    boolean resume;

    @Option(names = "--max-runs", defaultValue = "0", paramLabel = "N",
            description = "Stop after the quartz:/timer: routes have run N times (default: until interrupted).")
    int maxRuns;

    @Option(names = "--quartz-properties", paramLabel = "FILE",
            description = "Quartz scheduler properties, e.g. a JDBC job store shared by several JVMs (default: in memory).")
    Path quartzProperties;

    @Override
    public Integer call() throws Exception {
        Properties values = new Properties();
        for (Path file : propertyFiles) {
            values.putAll(read(file));
        }
        Workflow.Settings settings = Workflow.Settings.quiet().withProperties(values).withOverrides(overrides)
                .withQuartz(quartzProperties == null ? new Properties() : read(quartzProperties)).resuming(resume)
                .withProgress(() -> new ConsoleProgress(System.out), System.out::println);
        try (PluginHost host = plugins.load(System.err);
                Workflow workflow = Workflow.load(host, files, settings)) {
            Thread stop = new Thread(workflow::close, "papa-run-shutdown");
            Runtime.getRuntime().addShutdownHook(stop);
            workflow.start();
            for (RouteDefinition route : workflow.entryRoutes()) {
                System.out.println("papa run: route " + route.getRouteId() + " (" + location(route) + ")");
                Exchange done = workflow.run(route.getInput().getEndpointUri());
                Object body = done.getMessage().getBody();
                if (body instanceof String text && !text.isBlank()) {
                    System.out.println();
                    System.out.print(text.endsWith("\n") ? text : text + System.lineSeparator());
                }
                String run = done.getMessage().getHeader(PapaHeaders.RUN_DIRECTORY, String.class);
                if (run != null) {
                    System.out.println("results: " + Path.of(run).toAbsolutePath());
                }
            }
            int failed = 0;
            if (!workflow.scheduledRoutes().isEmpty()) {
                System.out.println("papa run: " + workflow.scheduledRoutes().size() + " scheduled route(s) running"
                        + (maxRuns > 0 ? " for " + maxRuns + " run(s)" : "; Ctrl-C stops"));
                failed = workflow.awaitScheduledRuns(maxRuns);
            }
            Runtime.getRuntime().removeShutdownHook(stop);
            return failed == 0 ? 0 : 1;
        }
    }

    private static String location(RouteDefinition route) {
        String where = route.getLocation() == null ? "" : route.getLocation().replaceFirst("^file:", "");
        return where + ", from " + route.getInput().getEndpointUri();
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }
}
