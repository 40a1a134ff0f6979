package io.papa.workflow.schedule;

/**
 * What one training stage did and when, in epoch milliseconds: submitted to its device slot,
 * started by a Quartz worker, finished.
 *
 * @param node the scheduler instance that ran it
 * @param error the failure's message, or {@code null}
 */
public record StageRun(String id, String slot, String runDirectory, long submitted, long started, long finished,
        int epochs, String node, String error) {

    public double waitedSeconds() {
        return (started - submitted) / 1e3;
    }

    public double seconds() {
        return (finished - started) / 1e3;
    }
}
