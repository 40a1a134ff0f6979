package io.papa.workflow.camel;

import io.papa.engine.merge.MergeRecord;
import io.papa.workflow.session.Session;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * Runs aligners on every member with nothing mixed (papa:align, papa:repair), at most once per
 * training step, so that a resumed route does not repeat it; then checkpoints.
 */
final class RealignProducer extends PapaProducer<RunEndpoint> {

    private final String label;
    private final Map<String, Map<String, String>> aligners;

    RealignProducer(RunEndpoint endpoint, String label, Map<String, Map<String, String>> aligners) {
        super(endpoint);
        this.label = label;
        this.aligners = aligners;
    }

    @Override
    protected void work(Session session, Exchange exchange) {
        Optional<MergeRecord> done = session.work(experiment -> {
            long step = experiment.population().step();
            if (experiment.trainer().merges().stream().anyMatch(m -> m.step() == step && m.strategy().equals(label))) {
                return Optional.empty();
            }
            MergeRecord record = experiment.realign(label, aligners);
            experiment.checkpoint(label + " at step " + step);
            return Optional.of(record);
        });
        done.ifPresent(r -> log(String.format(java.util.Locale.ROOT, "%s %s: %s (%.2f s)", label, session.directory(),
                r.description(), r.seconds())));
    }
}
