package io.caravan.core.workflow;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The task types a loader knows: the built-in ones and any a plugin registers. */
public final class TaskKinds {
    private final Map<String, TaskKind> kinds = new TreeMap<>();

    /**
     * ssh (a short command on the target, over the pooled transport), shell (local), camel (an endpoint URI)
     * and remote_job (a detached job on a host or pool).
     */
    public static TaskKinds builtIn() {
        TaskKinds kinds = new TaskKinds();
        kinds.register(TaskKind.scalar("ssh", Template.Quoting.SHELL, true));
        kinds.register(TaskKind.scalar("shell", Template.Quoting.SHELL, false));
        kinds.register(TaskKind.scalar("camel", Template.Quoting.URI, false));
        kinds.register(RemoteJobKind.kind());
        return kinds;
    }

    public TaskKinds register(TaskKind kind) {
        if (kinds.putIfAbsent(kind.key(), kind) != null) {
            throw new IllegalArgumentException("task type '" + kind.key() + "' is registered twice");
        }
        return this;
    }

    public Optional<TaskKind> find(String key) {
        return Optional.ofNullable(kinds.get(key));
    }

    public Collection<String> keys() {
        return kinds.keySet();
    }
}
