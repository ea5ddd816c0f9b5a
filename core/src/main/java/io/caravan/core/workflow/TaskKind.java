package io.caravan.core.workflow;

import java.util.Set;

/**
 * A task type as the YAML names it ({@code ssh:}, {@code shell:}, {@code camel:} …). A scalar kind takes one
 * template (a command or a URI); a mapping kind takes the keys it lists. Plugins and the remote-job
 * operator add kinds to {@link TaskKinds}.
 *
 * @param quoting      where a scalar kind's template goes (shell text, a URI), which decides how values are written
 * @param needsTarget  whether the task runs on a connection ({@code target:})
 * @param keys         for a mapping kind, the keys it accepts; empty for a scalar kind
 * @param shellKeys    for a mapping kind, the keys whose text is shell text; the others' are plain values, which
 *                     whoever puts them into a command quotes there
 * @param onPools      whether {@code target:} may name a host pool
 * @param check        checks a mapping kind's options at load time
 */
public record TaskKind(
        String key,
        Template.Quoting quoting,
        boolean needsTarget,
        Set<String> keys,
        Set<String> shellKeys,
        boolean onPools,
        OptionCheck check) {

    public static TaskKind scalar(String key, Template.Quoting quoting, boolean needsTarget) {
        return new TaskKind(key, quoting, needsTarget, Set.of(), Set.of(), false, OptionCheck.NONE);
    }

    public static TaskKind mapping(
            String key,
            Set<String> keys,
            Set<String> shellKeys,
            boolean needsTarget,
            boolean onPools,
            OptionCheck check) {
        return new TaskKind(
                key, Template.Quoting.PLAIN, needsTarget, Set.copyOf(keys), Set.copyOf(shellKeys), onPools, check);
    }

    public boolean isScalar() {
        return keys.isEmpty();
    }

    /** Where the text of a mapping kind's option goes. */
    public Template.Quoting quoting(String option) {
        return shellKeys.contains(option) ? Template.Quoting.SHELL : Template.Quoting.PLAIN;
    }
}
