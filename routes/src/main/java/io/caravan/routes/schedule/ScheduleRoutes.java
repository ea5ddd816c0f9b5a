package io.caravan.routes.schedule;

import java.util.List;
import java.util.Map;

import io.caravan.core.engine.WorkflowLauncher;
import io.caravan.core.workflow.WorkflowDefinition;
import org.apache.camel.builder.RouteBuilder;
import org.quartz.CronTrigger;
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

    /** The slot Quartz fired for (camel-quartz's header), to the millisecond. */
    private static java.time.Instant slot(java.util.Date scheduled) {
        return (scheduled == null ? java.time.Instant.now() : scheduled.toInstant()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public void configure() {
        for (WorkflowDefinition w : workflows) {
            if (w.schedule() == null) {
                continue;
            }
            int misfire = w.catchup() ? Trigger.MISFIRE_INSTRUCTION_IGNORE_MISFIRE_POLICY
                    : CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
            from("quartz://" + QuartzSchedulers.GROUP + "/" + w.id() + "?cron=" + w.schedule().replace(' ', '+')
                    + "&deleteJob=false&stateful=true&trigger.misfireInstruction=" + misfire)
                    .routeId("schedule-" + w.id())
                    .process(e -> launcher.fire(w.id(), slot(e.getIn().getHeader("scheduledFireTime", java.util.Date.class))));
        }
    }
}
