package io.caravan.routes.sshx;

import java.net.URI;
import java.util.Map;

import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTransport;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code sshx:user@host[:port]?options}: camel-ssh's URI and options on Caravan's pooled transport.
 * All endpoints share one {@link SshTransport}: the one bound in the registry, or one the component
 * starts (and stops) itself.
 */
@Component("sshx")
public class SshxComponent extends DefaultComponent {
    @Metadata(label = "advanced", description = "Defaults for every endpoint of this component")
    private SshxConfiguration configuration = new SshxConfiguration();
    @Metadata(label = "advanced", autowired = true, description = "The pooled SSH transport to use")
    private SshTransport transport;
    private boolean ownsTransport;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SshxConfiguration endpointConfiguration = configuration.copy();
        endpointConfiguration.configure(new URI(uri));
        SshxEndpoint endpoint = new SshxEndpoint(uri, this, endpointConfiguration);
        setProperties(endpointConfiguration, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (transport == null) {
            transport = getCamelContext().getRegistry().findSingleByType(SshTransport.class);
        }
        if (transport == null) {
            transport = SshTransport.start(SshSettings.defaults());
            ownsTransport = true;
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (ownsTransport) {
            transport.close();
            transport = null;
            ownsTransport = false;
        }
        super.doStop();
    }

    public SshTransport getTransport() {
        return transport;
    }

    public void setTransport(SshTransport transport) {
        this.transport = transport;
    }

    public SshxConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SshxConfiguration configuration) {
        this.configuration = configuration;
    }
}
