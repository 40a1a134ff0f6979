package io.papa.workflow.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The job of one device slot. There is one durable job per slot and one trigger per stage; Quartz
 * never runs one job twice at a time, so stages on one device never overlap, in this JVM or, with a
 * clustered JDBC job store, across JVMs.
 */
@DisallowConcurrentExecution
public final class TrainingStageJob implements Job {

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        StageScheduler stages;
        try {
            stages = (StageScheduler) context.getScheduler().getContext().get(StageScheduler.CONTEXT_KEY);
        } catch (SchedulerException e) {
            throw new JobExecutionException(e);
        }
        stages.execute(Stage.from(context.getMergedJobDataMap()), context.getJobDetail().getKey().getName());
    }
}
