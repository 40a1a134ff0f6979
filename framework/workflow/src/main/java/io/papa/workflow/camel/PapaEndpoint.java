package io.papa.workflow.camel;

import io.papa.api.Aligner;
import io.papa.engine.plugin.PluginException;
import io.papa.engine.plugin.PluginHost;
import io.papa.engine.run.Experiment;
import io.papa.engine.run.ReferenceAligners;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A papa verb as a Camel endpoint. Producer only: a route starts from {@code direct:},
 * {@code timer:} or {@code quartz:} and sends to papa steps. Options are the {@link
 * org.apache.camel.spi.UriParam} fields of the subclass, bound by {@link EndpointOptions}.
 */
public abstract class PapaEndpoint extends DefaultEndpoint {

    @UriPath(description = "The verb: create, train, merge, align, repair, evaluate, checkpoint, report or imagenet-prepare")
    @Metadata(required = true)
    private final String verb;

    private static final Set<String> BUILT_IN_ALIGNERS = Set.of(ReferenceAligners.PERMUTATION, ReferenceAligners.REPAIR);

    private Set<String> given = Set.of();

    protected PapaEndpoint(String uri, PapaComponent component, String verb) {
        super(uri, component);
        this.verb = verb;
    }

    public String verb() {
        return verb;
    }

    final void bind(Map<String, Object> parameters) {
        given = EndpointOptions.of(verb, getClass()).bind(this, parameters);
    }

    /** Whether the route gave this option (rather than leaving its default). */
    protected boolean given(String option) {
        return given.contains(option);
    }

    /**
     * Checks the option values against the loaded plugins and the reference's rules before any route
     * runs; throws with the option and what is valid. Options that any value suits need no check.
     */
    protected void check(PluginHost host) {
    }

    /** Checks aligner ids and options, naming the plugin a missing built-in aligner comes from. */
    protected void checkAligners(PluginHost host, Map<String, Map<String, String>> aligners) {
        for (String id : aligners.keySet()) {
            try {
                host.find(Aligner.class, id);
            } catch (PluginException e) {
                throw new PluginException("papa:" + verb + " needs the aligner '" + id + "'"
                        + (BUILT_IN_ALIGNERS.contains(id) ? " of the papa-" + id + " plugin" : "")
                        + ", which is not loaded from " + host.directories() + ": " + e.getMessage());
            }
        }
        Experiment.aligners(host, aligners);
    }

    @Override
    public PapaComponent getComponent() {
        return (PapaComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("papa:" + verb + " is a step, not a start: begin the route with"
                + " direct:, timer: or quartz: and send to papa:" + verb);
    }
}
