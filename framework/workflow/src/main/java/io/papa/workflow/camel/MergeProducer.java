package io.papa.workflow.camel;

import io.papa.engine.merge.MergeRecord;
import io.papa.workflow.WorkflowException;
import io.papa.workflow.session.Session;
import java.util.Optional;
import org.apache.camel.Exchange;

/** Runs the pending merge, if any, and checkpoints after it. */
final class MergeProducer extends PapaProducer<MergeEndpoint> {

    MergeProducer(MergeEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void work(Session session, Exchange exchange) {
        Optional<MergeRecord> merged = session.work(experiment -> {
            if (!endpoint.describes(experiment.population().config(), experiment.population().host())) {
                throw new WorkflowException("papa:merge: the population in " + session.directory() + " was made with"
                        + " another merge (" + experiment.population().config().mergeStrategy() + ", every "
                        + experiment.population().config().everyKEpochs() + " epochs...) than " + endpoint
                        + " with these options; a population keeps the merge schedule it was created with");
            }
            Optional<MergeRecord> merge = experiment.trainer().mergeIfPending();
            merge.ifPresent(m -> experiment.checkpoint("merge after epoch " + (m.epoch() + 1)));
            return merge;
        });
        merged.ifPresent(m -> log(String.format(java.util.Locale.ROOT, "papa:merge %s: after epoch %d: %s (%.2f s)",
                session.directory(), m.epoch() + 1, m.description(), m.seconds())));
        exchange.getMessage().setHeader(PapaHeaders.MERGED, merged.isPresent());
    }
}
