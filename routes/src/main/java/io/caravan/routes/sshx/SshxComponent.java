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
    private volatile SshTransport transport;
    /** Guarded by this: whether {@link #transport} was started here (and so is closed here). */
    private boolean ownsTransport;

    private boolean stopped;

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
        synchronized (this) {
            stopped = false;
        }
        getTransport();
    }

    @Override
    protected void doStop() throws Exception {
        SshTransport owned = null;
        synchronized (this) {
            stopped = true;
            if (ownsTransport) {
                owned = transport;
                transport = null;
                ownsTransport = false;
            }
        }
        if (owned != null) {
            owned.close();
        }
        super.doStop();
    }

    /**
     * The transport, resolved on first use by whichever thread comes first: producers may run before this
     * component's {@code doStart} has finished (a {@code ProducerTemplate} used from many threads on a fresh
     * context), so no caller may rely on start order.
     */
    public SshTransport getTransport() {
        SshTransport t = transport;
        return t != null ? t : resolveTransport();
    }

    private synchronized SshTransport resolveTransport() {
        if (transport == null) {
            if (stopped) {
                throw new IllegalStateException("the sshx component is stopped");
            }
            SshTransport bound = getCamelContext() == null
                    ? null
                    : getCamelContext().getRegistry().findSingleByType(SshTransport.class);
            if (bound == null) {
                bound = SshTransport.start(SshSettings.defaults());
                ownsTransport = true;
            }
            transport = bound;
        }
        return transport;
    }

    public synchronized void setTransport(SshTransport transport) {
        if (ownsTransport && this.transport != null && this.transport != transport) {
            this.transport.close();
        }
        ownsTransport = false;
        this.transport = transport;
    }

    public SshxConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SshxConfiguration configuration) {
        this.configuration = configuration;
    }
}
