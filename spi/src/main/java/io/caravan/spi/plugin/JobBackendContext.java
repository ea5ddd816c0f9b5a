package io.caravan.spi.plugin;

import io.caravan.spi.posix.ShellRunner;

/**
 * Where a plugin's backend works.
 *
 * @param shell runs scripts on the task's target over the host's pooled SSH transport; null for a task type
 *              without a target
 * @param where names the place in messages
 * @param base  the job base directory ({@code workdir_base})
 */
public record JobBackendContext(ShellRunner shell, String where, String base) {}
