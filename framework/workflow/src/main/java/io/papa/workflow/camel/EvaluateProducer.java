package io.papa.workflow.camel;

import io.papa.engine.run.Experiment;
import io.papa.workflow.session.Session;
import org.apache.camel.Exchange;

/** Evaluates and keeps the evaluation (in the run directory) for papa:report. */
final class EvaluateProducer extends PapaProducer<EvaluateEndpoint> {

    EvaluateProducer(EvaluateEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void work(Session session, Exchange exchange) {
        Experiment.Evaluation evaluation = session.work(experiment -> {
            Experiment.Evaluation e = experiment.evaluate(endpoint.soupAligners());
            session.saveEvaluation(e);
            return e;
        });
        log("papa:evaluate " + session.directory() + ": " + evaluation.results().summaryLine());
        exchange.getMessage().setBody(evaluation.results().summaryLine());
    }
}
