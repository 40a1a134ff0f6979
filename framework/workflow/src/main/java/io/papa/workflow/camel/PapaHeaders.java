package io.papa.workflow.camel;

import io.papa.engine.run.Experiment;
import org.apache.camel.Exchange;

/** The headers every papa step sets, for the steps after it and for route conditions. */
public final class PapaHeaders {

    /** The run directory (String): where the population's checkpoints and results are. */
    public static final String RUN_DIRECTORY = "PapaRunDirectory";
    /** Epochs completed (int). */
    public static final String EPOCH = "PapaEpoch";
    /** The run's length in epochs (int). */
    public static final String EPOCHS = "PapaEpochs";
    /** Whether every epoch is trained (boolean): the condition of a training loop. */
    public static final String DONE = "PapaDone";
    /** Whether the last papa:merge merged (boolean). */
    public static final String MERGED = "PapaMerged";

    private PapaHeaders() {
    }

    static void update(Exchange exchange, java.nio.file.Path runDirectory, Experiment experiment) {
        int epoch = experiment.trainer().epoch();
        int epochs = experiment.population().config().epochs();
        exchange.getMessage().setHeader(RUN_DIRECTORY, runDirectory.toString());
        exchange.getMessage().setHeader(EPOCH, epoch);
        exchange.getMessage().setHeader(EPOCHS, epochs);
        exchange.getMessage().setHeader(DONE, epoch >= epochs && !experiment.trainer().mergePending());
    }
}
