package io.caravan.core.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.caravan.core.storage.Claim;
import io.caravan.core.workflow.TaskDefinition;
import io.caravan.core.workflow.Template;

/** What a claimed attempt is handed to its executor as: its item, its body and options rendered, where it runs, its log. */
final class Invocations {
    private final String runId;
    private final RunValues values;
    private final Targets targets;
    private final Function<Claim, Path> logFile;

    Invocations(String runId, RunValues values, Targets targets, Function<Claim, Path> logFile) {
        this.runId = runId;
        this.values = values;
        this.targets = targets;
        this.logFile = logFile;
    }

    TaskInvocation of(TaskDefinition task, Claim claim) {
        Object item = Json.read(claim.itemJson());
        Function<Template.Ref, Object> scope = values.with(item);
        String body = task.body() == null ? null : task.body().render(scope);
        Map<String, Object> options = new HashMap<>();
        task.options().forEach((k, v) -> options.put(k, render(v, scope)));
        Targets.Resolved place = targets.of(task.target());
        return new TaskInvocation(
                runId,
                task,
                claim.itemIndex(),
                item,
                claim.attempt(),
                body,
                options,
                place.target(),
                place.pool(),
                task.timeout(),
                logFile.apply(claim),
                claim.host());
    }

    /** Each option's templates written for where they go (shell text, or plain values such as a job's env). */
    private static Object render(Object option, Function<Template.Ref, Object> scope) {
        if (option instanceof Template t) {
            return t.render(scope);
        }
        if (option instanceof Map<?, ?> map) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            map.forEach((k, v) -> rendered.put(String.valueOf(k), render(v, scope)));
            return rendered;
        }
        if (option instanceof List<?> list) { // a job's stage_in and stage_out lines
            return list.stream().map(v -> render(v, scope)).toList();
        }
        return option;
    }
}
