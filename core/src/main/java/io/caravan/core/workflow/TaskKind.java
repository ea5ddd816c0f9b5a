package io.caravan.core.workflow;

import java.util.Set;

/**
 * A task type as the YAML names it ({@code ssh:}, {@code shell:}, {@code camel:} …). A scalar kind takes one
 * template (a command or a URI); a mapping kind takes the keys it lists. Plugins and the remote-job
 * operator add kinds to {@link TaskKinds}.
 *
 * @param quoting      how values are quoted in this kind's templates
 * @param needsTarget  whether the task runs on a connection ({@code target:})
 * @param keys         for a mapping kind, the keys it accepts; empty for a scalar kind
 */
public record TaskKind(String key, Template.Quoting quoting, boolean needsTarget, Set<String> keys) {

    public static TaskKind scalar(String key, Template.Quoting quoting, boolean needsTarget) {
        return new TaskKind(key, quoting, needsTarget, Set.of());
    }

    public boolean isScalar() {
        return keys.isEmpty();
    }
}
