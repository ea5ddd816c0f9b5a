package io.caravan.routes.remotejob;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.jobs.SupervisorSettings;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTransport;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code remote-job:user@host[:port]?options}: the remote-job operator for users' routes. Jobs of every
 * endpoint share the {@link JobSupervisors} bound in the registry (the engine's, so a route's jobs and a
 * workflow's jobs on one host are polled together), or ones the component starts itself.
 */
@Component("remote-job")
public class RemoteJobComponent extends DefaultComponent {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJobComponent.class);

    @Metadata(label = "advanced", description = "Defaults for every endpoint of this component")
    private RemoteJobConfiguration configuration = new RemoteJobConfiguration();

    @Metadata(label = "advanced", autowired = true, description = "The job supervisors to use")
    private JobSupervisors supervisors;

    private SshTransport ownTransport;
    private JobSupervisors ownSupervisors;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RemoteJobConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.configure(new URI(uri.replaceFirst("^remote-job:(//)?", "remote-job://")));
        RemoteJobEndpoint endpoint = new RemoteJobEndpoint(uri, this, endpointConfiguration);
        setProperties(endpointConfiguration, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (supervisors == null) {
            supervisors = getCamelContext().getRegistry().findSingleByType(JobSupervisors.class);
        }
        if (supervisors == null) {
            SshTransport transport = getCamelContext().getRegistry().findSingleByType(SshTransport.class);
            if (transport == null) {
                transport = ownTransport = SshTransport.start(SshSettings.defaults());
            }
            // without the engine's database there is nowhere to keep a cleanup debt: say so loudly
            RemoteJobRoutes lifecycle = RemoteJobRoutes.in(getCamelContext());
            supervisors = ownSupervisors = JobSupervisors.overSsh(
                    transport,
                    SupervisorSettings.defaults(),
                    (place, backend) -> failed -> LOG.warn(
                            "remote-job: could not remove {} job directories on {}: {}", failed.size(), place, failed),
                    Clock.systemUTC(),
                    lifecycle);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (ownSupervisors != null) {
            ownSupervisors.close();
            ownSupervisors = null;
            supervisors = null;
        }
        if (ownTransport != null) {
            ownTransport.close();
            ownTransport = null;
        }
        super.doStop();
    }

    public JobSupervisors getSupervisors() {
        return supervisors;
    }

    public void setSupervisors(JobSupervisors supervisors) {
        this.supervisors = supervisors;
    }

    public RemoteJobConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RemoteJobConfiguration configuration) {
        this.configuration = configuration;
    }
}
