package io.caravan.routes.schedule;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import io.caravan.core.engine.WorkflowLauncher;
import io.caravan.core.workflow.WorkflowDefinition;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.quartz.Trigger;

/**
 * One camel-quartz route per scheduled workflow. The trigger is kept in the job store across restarts
 * ({@code deleteJob=false}); missed firings are caught up all ({@code catchup: true}) or as one run.
 */
public final class ScheduleRoutes extends RouteBuilder {
    private final List<WorkflowDefinition> workflows;
    private final WorkflowLauncher launcher;

    public ScheduleRoutes(List<WorkflowDefinition> workflows, WorkflowLauncher launcher) {
        this.workflows = workflows;
        this.launcher = launcher;
    }

    /**
     * The slot Quartz fired for, to the millisecond: camel-quartz's header, or, when another node re-runs the
     * firing of a node that died during it, the slot that firing was for.
     */
    private static Instant slot(Message in) {
        JobDataMap data = in.getHeader("mergedJobDataMap", JobDataMap.class);
        Object recovered = data == null
                ? null
                : data.get(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
        if (recovered != null) {
            return Instant.ofEpochMilli(Long.parseLong(recovered.toString()));
        }
        Date scheduled = in.getHeader("scheduledFireTime", Date.class);
        return (scheduled == null ? Instant.now() : scheduled.toInstant()).truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void configure() {
        for (WorkflowDefinition w : workflows) {
            if (w.schedule() == null) {
                continue;
            }
            int misfire = w.catchup()
                    ? Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY
                    : CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
            from("quartz://" + QuartzSchedulers.GROUP + "/" + w.id() + "?cron="
                            + w.schedule().replace(' ', '+')
                            // recoverable: a firing whose node died during it runs again on another node, for the same
                            // slot
                            + "&deleteJob=false&stateful=true&recoverableJob=true&trigger.misfireInstruction="
                            + misfire)
                    .routeId("schedule-" + w.id())
                    .process(e -> launcher.fire(w.id(), slot(e.getIn())));
        }
    }
}
