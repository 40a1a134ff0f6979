package io.papa.workflow.camel;

import io.papa.workflow.session.Session;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Runs one verb on the exchange's population, then sets the {@link PapaHeaders}. */
abstract class PapaProducer<E extends RunEndpoint> extends DefaultProducer {

    protected final E endpoint;

    PapaProducer(E endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Path run = endpoint.runDirectory(exchange);
        Session session = endpoint.getComponent().sessions().open(run);
        work(session, exchange);
        session.work(experiment -> {
            PapaHeaders.update(exchange, run, experiment);
            return null;
        });
    }

    protected abstract void work(Session session, Exchange exchange) throws Exception;

    protected void log(String line) {
        endpoint.getComponent().log(line);
    }
}
