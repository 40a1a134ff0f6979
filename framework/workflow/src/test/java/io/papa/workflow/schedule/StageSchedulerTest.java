package io.papa.workflow.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.papa.engine.population.TrainingListener;
import io.papa.workflow.Routes;
import io.papa.workflow.Workflow;
import io.papa.workflow.session.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/** Training stages on Quartz device slots: serialised per device, at a time, on a cron, in another scheduler. */
class StageSchedulerTest {

    @TempDir
    Path work;

    @Test
    void twoStagesOnOneDeviceNeverRunAtTheSameTime() throws Exception {
        Path second = Routes.edited(work.resolve("b"), "papa-all.yaml", "id: papa-all", "id: papa-all-b",
                "uri: direct:papa-all", "uri: direct:papa-all-b", "{{output:runs/papa-all}}", "{{output_b:}}");
        Map<String, String> overrides = Routes.tiny(work.resolve("a"));
        overrides.put("output_b", work.resolve("b-run").toString());
        overrides.put("epochs", "3");
        overrides.put("every_k_epochs", "1");
        try (Workflow workflow = Workflow.load(Routes.host(), List.of(Routes.file("papa-all.yaml"), second),
                Workflow.Settings.quiet().withOverrides(overrides))) {
            workflow.start();
            CompletableFuture<?> a = CompletableFuture.runAsync(() -> workflow.run("direct:papa-all"));
            CompletableFuture<?> b = CompletableFuture.runAsync(() -> workflow.run("direct:papa-all-b"));
            CompletableFuture.allOf(a, b).get();
            List<StageRun> runs = new ArrayList<>(workflow.stages().history());
            runs.sort(Comparator.comparingLong(StageRun::started));
            assertEquals(6, runs.size(), "three stages per population: " + runs);
            boolean contended = false;
            for (int i = 1; i < runs.size(); i++) {
                StageRun before = runs.get(i - 1);
                StageRun after = runs.get(i);
                assertEquals("cpu", after.slot());
                assertTrue(after.started() >= before.finished(), "overlap: " + before + " and " + after);
                contended |= after.submitted() < before.finished() && !after.runDirectory().equals(before.runDirectory());
            }
            assertTrue(contended, "a stage of one population was submitted while the other's ran: " + runs);
        }
        assertEquals(Routes.numbers(work.resolve("a")).path("results"), Routes.numbers(work.resolve("b-run"))
                .path("results"), "same settings, same numbers, whichever population waited");
    }

    @Test
    void aStageScheduledAtATimeStartsThen() throws Exception {
        Path file = Routes.edited(work.resolve("at"), "papa-all.yaml", "until: nextMerge",
                "until: nextMerge\n                    startAt: \"{{start_at:}}\"");
        LocalDateTime at = LocalDateTime.now().plusSeconds(2).withNano(0);
        Map<String, String> overrides = Routes.tiny(work.resolve("run"));
        overrides.put("start_at", at.toString());
        overrides.put("epochs", "1");
        try (Workflow workflow = Workflow.load(Routes.host(), List.of(file),
                Workflow.Settings.quiet().withOverrides(Routes.usedBy(file, overrides)))) {
            workflow.start();
            workflow.run("direct:papa-all");
            long startAt = at.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            StageRun run = workflow.stages().history().get(0);
            assertTrue(run.started() >= startAt, run + " started before " + at);
        }
    }

    @Test
    void aCronScheduledRouteFiresOnTheSharedScheduler() throws Exception {
        Path file = work.resolve("nightly.yaml");
        Files.writeString(file, """
                - route:
                    id: nightly
                    from:
                      uri: quartz://papa/nightly
                      parameters:
                        cron: "0/2 * * * * ?"
                        stateful: true
                      steps:
                        - to:
                            uri: papa:create
                            parameters:
                              output: "{{output}}"
                              dataset.limit: 600
                              arch.width: 4
                              epochs: 1
                              batchSize: 32
                              device: cpu
                        - to:
                            uri: papa:train
                        - to:
                            uri: papa:evaluate
                        - to:
                            uri: papa:report
                """);
        Path run = work.resolve("nightly");
        try (Workflow workflow = Workflow.load(Routes.host(), List.of(file),
                Workflow.Settings.quiet().withOverrides(Map.of("output", run.toString())))) {
            workflow.start();
            assertEquals(List.of(), workflow.entryRoutes());
            int failed = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> workflow.awaitScheduledRuns(1));
            assertEquals(0, failed);
            Scheduler scheduler = workflow.stages().scheduler();
            assertTrue(scheduler.checkExists(TriggerKey.triggerKey("nightly", "papa")),
                    "camel-quartz's trigger is in the stage scheduler: "
                            + scheduler.getTriggerKeys(GroupMatcher.anyTriggerGroup()));
        }
        assertTrue(Files.exists(run.resolve("results.json")));
    }

    /**
     * The hand-over: this JVM's scheduler is on standby, so each stage it schedules is run by another
     * scheduler with its own population registry (as another JVM sharing a JDBC job store would),
     * from the job data's strings and the run directory's files alone. The route notices through the
     * stage's marker file, reloads the population from the newer checkpoint, merges, and ends with
     * the numbers of a run that never left this JVM.
     */
    @Test
    void aStageRunByAnotherSchedulerFromTheFilesHandsTheRunBack() throws Exception {
        Map<String, String> local = Routes.tiny(work.resolve("local"));
        local.put("epochs", "3");
        local.put("every_k_epochs", "1");
        Routes.run(Routes.file("papa-all.yaml"), local);

        Map<String, String> remote = new java.util.LinkedHashMap<>(local);
        remote.put("output", work.resolve("remote").toString());
        Sessions elsewhere = new Sessions(Routes.host(), () -> new TrainingListener() { });
        StageScheduler other = new StageScheduler(elsewhere, new Properties());
        try (Workflow workflow = Workflow.load(Routes.host(), List.of(Routes.file("papa-all.yaml")),
                Workflow.Settings.quiet().withOverrides(remote))) {
            workflow.start();
            Scheduler scheduler = workflow.stages().scheduler();
            scheduler.standby();
            CompletableFuture<?> route = CompletableFuture.runAsync(() -> workflow.run("direct:papa-all"));
            int handedOver = 0;
            while (!route.isDone()) {
                for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals("papa-stages"))) {
                    Stage stage = Stage.from(scheduler.getTrigger(key).getJobDataMap());
                    scheduler.unscheduleJob(key);
                    other.execute(stage, "cpu");
                    handedOver++;
                }
                Thread.sleep(50);
            }
            route.get();
            assertEquals(3, handedOver);
            assertTrue(workflow.stages().history().isEmpty(), "no stage ran in the route's scheduler");
        } finally {
            other.scheduler().shutdown();
            elsewhere.close();
        }
        assertEquals(Routes.numbers(work.resolve("local")), Routes.numbers(work.resolve("remote")));
    }
}
