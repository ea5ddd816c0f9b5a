package io.caravan.testkit;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5: a real sshd for a test class (static field) or for each test (instance field), always stopped
 * at the end, failures included.
 * <pre>
 * &#64;RegisterExtension static final OpenSshExtension SSHD = OpenSshExtension.with(b -> b.maxSessions(3));
 * </pre>
 */
public final class OpenSshExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final UnaryOperator<OpenSshServer.Builder> configuration;
    private OpenSshServer server;
    private boolean perClass;

    private OpenSshExtension(UnaryOperator<OpenSshServer.Builder> configuration) {
        this.configuration = configuration;
    }

    /** OpenSSH's default limits: MaxStartups 10:30:100, MaxSessions 10. */
    public static OpenSshExtension defaults() {
        return new OpenSshExtension(b -> b);
    }

    public static OpenSshExtension with(UnaryOperator<OpenSshServer.Builder> configuration) {
        return new OpenSshExtension(configuration);
    }

    public OpenSshServer server() {
        if (server == null) {
            throw new IllegalStateException("the sshd is not started yet: use it inside a test or lifecycle method");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        server = configuration.apply(OpenSshServer.builder()).start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeServer();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            server = configuration.apply(OpenSshServer.builder()).start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeServer();
        }
    }

    private void closeServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
