package io.papa.workflow.camel;

import io.papa.workflow.WorkflowException;
import io.papa.workflow.schedule.Stage;
import io.papa.workflow.schedule.StageRun;
import io.papa.workflow.schedule.StageScheduler;
import io.papa.workflow.session.Session;
import java.util.Locale;
import org.apache.camel.Exchange;

/** Submits the stage to its device slot and waits for it; it trains on a Quartz worker. */
final class TrainProducer extends PapaProducer<TrainEndpoint> {

    TrainProducer(TrainEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void work(Session session, Exchange exchange) throws InterruptedException {
        Stage stage = Stage.of(session.directory(), endpoint.until(), endpoint.epochs());
        String slot = session.work(experiment -> StageScheduler.slot(experiment.population().device()));
        StageRun run = endpoint.getComponent().stages().run(stage, slot, endpoint.startAt());
        int pendingAfter = session.work(e -> e.trainer().mergePending() ? e.trainer().epoch() : -1);
        if (session.idleStage(run.epochs() == 0 && pendingAfter > 0) > 1) {
            throw new WorkflowException("papa:train: a merge is due after epoch " + pendingAfter + " of "
                    + session.directory() + " and this is the second stage in a row that cannot train past it;"
                    + " put papa:merge between the papa:train steps of the route");
        }
        if (run.epochs() > 0) {
            log(String.format(Locale.ROOT, "papa:train %s: %s: %d epoch(s) on slot %s in %.1f s (waited %.1f s)",
                    session.directory(), stage.describe(), run.epochs(), slot, run.seconds(), run.waitedSeconds()));
        }
    }
}
