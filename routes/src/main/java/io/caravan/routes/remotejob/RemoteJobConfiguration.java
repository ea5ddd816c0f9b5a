package io.caravan.routes.remotejob;

import io.caravan.core.jobs.CleanupPolicy;
import io.caravan.core.jobs.RemoteJobOptions;
import io.caravan.core.workflow.Durations;
import io.caravan.routes.sshx.SshxConfiguration;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** sshx's connection options plus the job's: where job directories go, cleanup, polling, timeout. */
@UriParams
public class RemoteJobConfiguration extends SshxConfiguration {
    /** Where job directories go when nobody says: under the login's home. */
    public static final String DEFAULT_BASE = RemoteJobOptions.DEFAULT_BASE;

    @UriParam(defaultValue = DEFAULT_BASE, description = "Directory on the host that holds job directories")
    private String workdirBase = DEFAULT_BASE;

    @UriParam(
            defaultValue = "on_success",
            enums = "always,on_success,never",
            description = "When the job directory is removed")
    private String cleanup = CleanupPolicy.ON_SUCCESS.yamlName();

    @UriParam(defaultValue = "2s", description = "How often the host's jobs are polled (one command for all of them)")
    private String pollInterval = "2s";

    @UriParam(defaultValue = "1h", description = "The job is killed (TERM, then KILL) when it runs longer")
    private String jobTimeout = "1h";

    @UriParam(defaultValue = "10s", description = "Time between TERM and KILL")
    private String killGrace = "10s";

    @UriParam(defaultValue = "true", description = "A job that did not succeed fails the exchange")
    private boolean failOnError = true;

    @Override
    public RemoteJobConfiguration copy() {
        return (RemoteJobConfiguration) super.copy();
    }

    /** The endpoint's job options, typed, with the defaults of {@link io.caravan.core.jobs.RemoteJobOptions}. */
    RemoteJobOptions jobOptions() {
        return RemoteJobOptions.fromUri(workdirBase, cleanup, pollInterval, jobTimeout, killGrace);
    }

    public String getWorkdirBase() {
        return workdirBase;
    }

    public void setWorkdirBase(String workdirBase) {
        this.workdirBase = workdirBase;
    }

    public String getCleanup() {
        return cleanup;
    }

    public void setCleanup(String cleanup) {
        CleanupPolicy.parse(cleanup);
        this.cleanup = cleanup;
    }

    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        Durations.parse(pollInterval);
        this.pollInterval = pollInterval;
    }

    public String getJobTimeout() {
        return jobTimeout;
    }

    public void setJobTimeout(String jobTimeout) {
        Durations.parse(jobTimeout);
        this.jobTimeout = jobTimeout;
    }

    public String getKillGrace() {
        return killGrace;
    }

    public void setKillGrace(String killGrace) {
        Durations.parse(killGrace);
        this.killGrace = killGrace;
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }
}
