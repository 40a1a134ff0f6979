package io.papa.workflow.camel;

import io.papa.api.InvalidOptionException;
import io.papa.engine.plugin.PluginHost;
import io.papa.workflow.schedule.Stage;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;

/**
 * {@code papa:train}: a training stage, run as a Quartz job on the device slot of the population's
 * device; the route waits for it. A stage never trains past an epoch whose merge is due: the route's
 * papa:merge runs that merge. The stage ends with a checkpoint (one is written after every epoch).
 */
@UriEndpoint(scheme = "papa", syntax = "papa:train", title = "PAPA training stage", producerOnly = true,
        category = {org.apache.camel.Category.AI})
public final class TrainEndpoint extends RunEndpoint {

    @UriParam(defaultValue = Stage.NEXT_MERGE, enums = Stage.NEXT_MERGE + "," + Stage.END, description = "nextMerge:"
            + " train to the next epoch-cadence merge point of the schedule (every_k_epochs, mix_from_start,"
            + " range_merge; never after the last epoch) or to the end of the run, PAPA's step pulls included;"
            + " end: the rest of the run, merging on schedule as papa train does")
    private String until = Stage.NEXT_MERGE;

    @UriParam(defaultValue = "0", description = "When positive, train at most this many epochs")
    private int epochs;

    @UriParam(description = "Start the stage at this time (ISO-8601, e.g. 2026-01-31T22:00:00 local or with an"
            + " offset); the route waits until then")
    private String startAt = "";

    public TrainEndpoint(String uri, PapaComponent component) {
        super(uri, component, "train");
    }

    String until() {
        return until;
    }

    int epochs() {
        return epochs;
    }

    /** The start time, or {@code null} for now. */
    Date startAt() {
        if (startAt.isBlank()) {
            return null;
        }
        try {
            return Date.from(OffsetDateTime.parse(startAt).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Date.from(LocalDateTime.parse(startAt).atZone(ZoneId.systemDefault()).toInstant());
            } catch (DateTimeParseException again) {
                throw new InvalidOptionException("papa:train option startAt: '" + startAt + "' is not valid; expected"
                        + " an ISO-8601 date-time such as " + LocalDateTime.now().withNano(0) + " or "
                        + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
        }
    }

    @Override
    protected void check(PluginHost host) {
        if (epochs < 0) {
            throw new InvalidOptionException("papa:train option epochs: " + epochs + " is not valid; expected an"
                    + " integer >= 0 (0: up to the next merge)");
        }
        startAt();
    }

    @Override
    public Producer createProducer() {
        return new TrainProducer(this);
    }
}
