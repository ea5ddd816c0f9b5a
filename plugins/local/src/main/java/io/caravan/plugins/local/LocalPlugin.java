package io.caravan.plugins.local;

import java.util.Set;

import io.caravan.spi.JobBackend;
import io.caravan.spi.plugin.CaravanPlugin;
import io.caravan.spi.plugin.JobBackendContext;
import io.caravan.spi.plugin.JobTaskType;
import io.caravan.spi.plugin.PluginApi;
import io.caravan.spi.plugin.PluginRegistry;
import io.caravan.spi.posix.PosixShellJobBackend;

/**
 * {@code local_job:} detached jobs on this machine with remote_job's protocol and options (job directory,
 * log, exit code, outputs.json, timeout, cleanup), for development and for workflows that mix local and
 * remote steps.
 */
public final class LocalPlugin implements CaravanPlugin {

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String apiVersion() {
        return PluginApi.VERSION;
    }

    @Override
    public void register(PluginRegistry registry) {
        registry.jobTaskType(new JobTaskType() {
            @Override
            public String name() {
                return "local_job";
            }

            @Override
            public Set<String> extraOptions() {
                return Set.of();
            }

            @Override
            public boolean needsTarget() {
                return false;
            }

            @Override
            public JobBackend backend(JobBackendContext context) {
                return new PosixShellJobBackend(new LocalShell(), "this machine", context.base());
            }
        });
    }
}
