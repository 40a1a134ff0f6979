package io.papa.workflow;

import io.papa.engine.plugin.PluginHost;
import io.papa.engine.population.TrainingListener;
import io.papa.workflow.camel.PapaComponent;
import io.papa.workflow.camel.RouteCheck;
import io.papa.workflow.schedule.StageScheduler;
import io.papa.workflow.session.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RoutePolicySupport;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Route files in a CamelContext with the {@code papa:} component, a Quartz device-slot scheduler and
 * the user's property overrides. {@link #start()} checks every route before anything trains;
 * {@link #run} sends one exchange to a {@code direct:} route and waits for it; routes from
 * {@code quartz:} or {@code timer:} run on their own until {@link #awaitScheduledRuns}.
 */
public final class Workflow implements AutoCloseable {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}}");

    /**
     * How to run route files.
     *
     * @param properties values for the files' {{placeholders}} (a properties file)
     * @param overrides values that win over everything ({@code --set key=value}); each must be used by a file
     * @param quartz Quartz properties over the defaults (e.g. a JDBC job store)
     * @param mustResume papa:create refuses to start new runs ({@code --resume})
     * @param progress a training listener per population (a progress bar)
     * @param log one line per step that changed a population
     */
    public record Settings(Properties properties, Map<String, String> overrides, Properties quartz, boolean mustResume,
            Supplier<TrainingListener> progress, Consumer<String> log) {

        public static Settings quiet() {
            return new Settings(new Properties(), Map.of(), new Properties(), false, () -> new TrainingListener() {
            }, line -> { });
        }

        public Settings withOverrides(Map<String, String> values) {
            return new Settings(properties, values, quartz, mustResume, progress, log);
        }

        public Settings withProperties(Properties values) {
            return new Settings(values, overrides, quartz, mustResume, progress, log);
        }

        public Settings withQuartz(Properties values) {
            return new Settings(properties, overrides, values, mustResume, progress, log);
        }

        public Settings resuming(boolean value) {
            return new Settings(properties, overrides, quartz, value, progress, log);
        }

        public Settings withProgress(Supplier<TrainingListener> value, Consumer<String> lines) {
            return new Settings(properties, overrides, quartz, mustResume, value, lines);
        }
    }

    private final DefaultCamelContext context;
    private final Sessions sessions;
    private final StageScheduler stages;
    private final Consumer<String> log;
    private final Semaphore scheduledRuns = new Semaphore(0);
    private final AtomicInteger failedRuns = new AtomicInteger();
    private boolean closed;

    private Workflow(PluginHost host, Settings settings) {
        this.log = settings.log();
        this.context = new DefaultCamelContext();
        context.setSourceLocationEnabled(true);
        context.getPropertiesComponent().setInitialProperties(settings.properties());
        Properties overrides = new Properties();
        overrides.putAll(settings.overrides());
        context.getPropertiesComponent().setOverrideProperties(overrides);
        this.sessions = new Sessions(host, settings.progress());
        this.stages = new StageScheduler(sessions, settings.quartz());
        try {
            context.addService(stages, true, true);
        } catch (Exception e) {
            throw new WorkflowException("cannot add the stage scheduler: " + e.getMessage(), e);
        }
        context.addComponent("papa", new PapaComponent(sessions, stages, settings.log(), settings.mustResume()));
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setSchedulerFactory(stages.factory());
        // stopping must not wait for a training stage: its last checkpoint is complete, a rerun resumes
        quartz.setInterruptJobsOnShutdown(true);
        context.getShutdownStrategy().setTimeout(5);
        context.addLifecycleStrategy(new RouteCheck(host));
    }

    /** Loads route files (YAML); a malformed file, or an override no file uses, is named. */
    public static Workflow load(PluginHost host, List<Path> files, Settings settings) {
        checkKeys(files, settings);
        Workflow workflow = new Workflow(host, settings);
        try {
            for (Path file : files) {
                workflow.loadFile(file);
            }
            for (RouteDefinition route : workflow.routes()) {
                if (!isDirect(route)) {
                    route.routePolicy(workflow.new CountRuns());
                }
            }
        } catch (RuntimeException e) {
            workflow.close();
            throw e;
        }
        return workflow;
    }

    private static void checkKeys(List<Path> files, Settings settings) {
        Set<String> used = new TreeSet<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new WorkflowException(file + ": no such route file");
            }
            try {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = PLACEHOLDER.matcher(line.strip().startsWith("#") ? "" : line);
                    while (m.find()) {
                        used.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        for (String key : settings.overrides().keySet()) {
            if (!used.contains(key)) {
                throw new WorkflowException("--set " + key + ": no route file uses {{" + key + "}}; they use: "
                        + String.join(", ", used));
            }
        }
    }

    private void loadFile(Path file) {
        try {
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    PluginHelper.getResourceLoader(context).resolveResource("file:" + file));
        } catch (Exception e) {
            // the innermost YAML error is the specific one ("Unsupported field: doWhilee")
            MarkedYamlEngineException yaml = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof MarkedYamlEngineException marked) {
                    yaml = marked;
                }
            }
            if (yaml == null) {
                throw new WorkflowException(file + ": " + RouteCheck.reasonOf(e), e);
            }
            Mark mark = yaml.getProblemMark().orElse(yaml.getContextMark().orElse(null));
            String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw new WorkflowException(where + ": " + yaml.getProblem()
                    + (yaml.getContext() == null ? "" : " (" + yaml.getContext() + ")"), e);
        }
    }

    /** Starts the context: checks every route (file, line, option, valid values) before anything runs. */
    public void start() {
        try {
            context.start();
        } catch (RuntimeException e) {
            throw e instanceof WorkflowException w ? w : new WorkflowException(RouteCheck.reasonOf(e), e);
        }
    }

    private List<RouteDefinition> routes() {
        return ((ModelCamelContext) context).getRouteDefinitions();
    }

    private static boolean isDirect(RouteDefinition route) {
        return route.getInput().getEndpointUri().startsWith("direct:");
    }

    /** The {@code direct:} routes no other route calls: the ones {@code papa run} starts, in file order. */
    public List<RouteDefinition> entryRoutes() {
        Set<String> called = new LinkedHashSet<>();
        for (RouteDefinition route : routes()) {
            collectCalls(route.getOutputs(), called);
        }
        List<RouteDefinition> entries = new ArrayList<>();
        for (RouteDefinition route : routes()) {
            if (isDirect(route) && !called.contains(route.getInput().getEndpointUri())) {
                entries.add(route);
            }
        }
        return entries;
    }

    private static void collectCalls(List<ProcessorDefinition<?>> outputs, Set<String> into) {
        for (ProcessorDefinition<?> definition : outputs) {
            if (definition instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                into.add(send.getEndpointUri());
            }
            collectCalls(definition.getOutputs(), into);
        }
    }

    /** Routes that start on their own ({@code quartz:}, {@code timer:}...). */
    public List<RouteDefinition> scheduledRoutes() {
        return routes().stream().filter(r -> !isDirect(r)).toList();
    }

    /**
     * Sends one exchange to {@code uri} and waits for the route to finish.
     *
     * @return the exchange: body (papa:report's summary) and the papa headers
     */
    public Exchange run(String uri) {
        Exchange exchange = context.createProducerTemplate().send(uri, ExchangePattern.InOut, e -> { });
        if (exchange.getException() != null) {
            Exception error = exchange.getException();
            throw error instanceof RuntimeException runtime ? runtime
                    : new WorkflowException(RouteCheck.reasonOf(error), error);
        }
        return exchange;
    }

    /**
     * Waits until the scheduled routes have finished {@code runs} exchanges ({@code runs <= 0}: until
     * the workflow is closed or the thread interrupted).
     *
     * @return how many of the runs failed
     */
    public int awaitScheduledRuns(int runs) throws InterruptedException {
        if (runs <= 0) {
            scheduledRuns.acquire(Integer.MAX_VALUE);
        } else {
            scheduledRuns.acquire(runs);
        }
        return failedRuns.get();
    }

    /** Counts the exchanges of a scheduled route; a failed one is logged, and the route fires again next time. */
    private final class CountRuns extends RoutePolicySupport {
        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if (exchange.getException() != null) {
                failedRuns.incrementAndGet();
                log.accept("route " + route.getRouteId() + " failed: " + RouteCheck.reasonOf(exchange.getException()));
            }
            scheduledRuns.release();
        }
    }

    public StageScheduler stages() {
        return stages;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            context.stop();
        } finally {
            sessions.close();
        }
    }
}
