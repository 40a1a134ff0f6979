package io.papa.workflow.camel;

import io.papa.workflow.session.Session;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:checkpoint}: writes a checkpoint now. Training stages, merges, papa:align and
 * papa:repair checkpoint by themselves; this is for a route's own milestones.
 */
@UriEndpoint(scheme = "papa", syntax = "papa:checkpoint", title = "PAPA checkpoint", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class CheckpointEndpoint extends RunEndpoint {

    @UriParam(defaultValue = "papa:checkpoint", description = "Label recorded in the checkpoint's manifest")
    private String label = "papa:checkpoint";

    public CheckpointEndpoint(String uri, PapaComponent component) {
        super(uri, component, "checkpoint");
    }

    @Override
    public Producer createProducer() {
        return new PapaProducer<CheckpointEndpoint>(this) {
            @Override
            protected void work(Session session, Exchange exchange) {
                session.work(experiment -> experiment.checkpoint(label));
            }
        };
    }
}
