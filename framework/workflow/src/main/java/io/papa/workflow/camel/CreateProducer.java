package io.papa.workflow.camel;

import io.papa.engine.population.PopulationConfig;
import io.papa.workflow.session.Session;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Creates the population, or resumes it from the run directory's checkpoint. */
final class CreateProducer extends DefaultProducer {

    private final CreateEndpoint endpoint;

    CreateProducer(CreateEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        PapaComponent component = endpoint.getComponent();
        PopulationConfig config = endpoint.config(component.sessions().host());
        Path run = Path.of(endpoint.output());
        Session session = component.sessions().create(run, config, component.mustResume());
        session.work(experiment -> {
            int epoch = experiment.trainer().epoch();
            component.log(String.format(java.util.Locale.ROOT, "papa:create %s: %s on %s, n_pop %d, %s, %d epochs of %d"
                    + " steps, device %s%s", run, config.architecture(), experiment.population().dataset().name(),
                    config.nPop(), config.mergeStrategy(), config.epochs(), experiment.population().stepsPerEpoch(),
                    experiment.population().device(), epoch > 0 || experiment.trainer().mergePending()
                            ? "; resumed after epoch " + epoch + " from its last checkpoint" : ""));
            PapaHeaders.update(exchange, run, experiment);
            return null;
        });
    }
}
