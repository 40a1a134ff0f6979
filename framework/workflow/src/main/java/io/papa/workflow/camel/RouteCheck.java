package io.papa.workflow.camel;

import io.papa.engine.plugin.PluginHost;
import io.papa.workflow.WorkflowException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Checks every route when the CamelContext starts, before any route runs: every {@code to:}
 * endpoint resolves (placeholders, known options, valid values), each papa step's values suit the
 * loaded plugins, and each route's papa:create gets the merge schedule of the route's papa:merge.
 * A problem names the route file and line (the context records source locations).
 */
public final class RouteCheck extends LifecycleStrategySupport {

    private final PluginHost host;

    public RouteCheck(PluginHost host) {
        this.host = host;
    }

    @Override
    public void onContextInitializing(CamelContext context) {
        for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
            check(context, route);
        }
    }

    /** A papa step of a route, where it is written. */
    private record Step(ProcessorDefinition<?> definition, PapaEndpoint endpoint) {

        WorkflowException error(String message) {
            return WorkflowException.at(definition.getLocation(), definition.getLineNumber(), message);
        }

        void check(Runnable check) {
            try {
                check.run();
            } catch (RuntimeException e) {
                throw error(e.getMessage());
            }
        }
    }

    private void check(CamelContext context, RouteDefinition route) {
        List<Step> steps = new ArrayList<>();
        collect(context, route.getOutputs(), steps);
        Step create = null;
        Step merge = null;
        for (Step step : steps) {
            if (step.endpoint() instanceof CreateEndpoint) {
                if (create != null) {
                    throw step.error("a second papa:create in route " + route.getRouteId() + " (the first is at line "
                            + create.definition().getLineNumber() + "); give each population its own route");
                }
                create = step;
            } else if (step.endpoint() instanceof MergeEndpoint) {
                if (merge != null && merge.endpoint() != step.endpoint()) {
                    throw step.error("this papa:merge differs from the one at line " + merge.definition().getLineNumber()
                            + "; a population has one merge schedule");
                }
                merge = step;
            }
        }
        // the merge first: its values are part of the population's configuration
        if (merge != null) {
            Step schedule = merge;
            schedule.check(() -> schedule.endpoint().check(host));
        }
        for (Step step : steps) {
            if (step == create) {
                MergeEndpoint schedule = merge == null ? null : (MergeEndpoint) merge.endpoint();
                step.check(() -> {
                    ((CreateEndpoint) step.endpoint()).mergedBy(schedule);
                    step.endpoint().check(host);
                });
            } else if (!(step.endpoint() instanceof MergeEndpoint)) {
                step.check(() -> step.endpoint().check(host));
            }
        }
    }

    /** Every papa step in document order, nested ones (loops, choices) included; resolves every {@code to:}. */
    private static void collect(CamelContext context, List<ProcessorDefinition<?>> outputs, List<Step> into) {
        for (ProcessorDefinition<?> definition : outputs) {
            if (definition instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                Endpoint endpoint = resolve(context, definition, send.getEndpointUri());
                if (endpoint instanceof PapaEndpoint papa) {
                    into.add(new Step(definition, papa));
                }
            }
            collect(context, definition.getOutputs(), into);
        }
    }

    private static Endpoint resolve(CamelContext context, ProcessorDefinition<?> definition, String uri) {
        try {
            return context.getEndpoint(context.resolvePropertyPlaceholders(uri));
        } catch (RuntimeException e) {
            throw WorkflowException.at(definition.getLocation(), definition.getLineNumber(), reasonOf(e));
        }
    }

    /** The message of the first cause that is not Camel's wrapping ("Failed to resolve endpoint ... due to"). */
    public static String reasonOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (!t.getClass().getName().startsWith("org.apache.camel.") && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return error.getMessage();
    }
}
