package io.papa.workflow.camel;

import io.papa.engine.plugin.PluginHost;
import java.util.Map;
import org.apache.camel.Producer;

/**
 * A verb that runs aligners on every member on its own, nothing mixed ({@code papa:align},
 * {@code papa:repair}): the aligners are checked against the loaded plugins when the route starts.
 */
abstract class RealignEndpoint extends RunEndpoint {

    protected RealignEndpoint(String uri, PapaComponent component, String verb) {
        super(uri, component, verb);
    }

    /** The aligner ids this verb runs, in order, with their options. */
    abstract Map<String, Map<String, String>> aligners();

    @Override
    protected void check(PluginHost host) {
        checkAligners(host, aligners());
    }

    @Override
    public Producer createProducer() {
        return new RealignProducer(this, "papa:" + verb(), aligners());
    }
}
