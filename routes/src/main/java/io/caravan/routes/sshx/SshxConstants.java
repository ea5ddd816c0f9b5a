package io.caravan.routes.sshx;

import org.apache.camel.component.ssh.SshConstants;
import org.apache.camel.spi.Metadata;

/** Header names: camel-ssh's, so routes move between ssh: and sshx: unchanged. */
public final class SshxConstants {
    @Metadata(description = "The command's exit status", javaType = "Integer")
    public static final String EXIT_VALUE = SshConstants.EXIT_VALUE;

    @Metadata(description = "The command's standard error", javaType = "String")
    public static final String STDERR = SshConstants.STDERR;

    @Metadata(description = "Overrides the user of the endpoint for this exchange", javaType = "String")
    public static final String USERNAME = SshConstants.USERNAME_HEADER;

    @Metadata(description = "Milliseconds the command took, channel open to exit", javaType = "Long")
    public static final String ELAPSED_MILLIS = "CamelSshxElapsedMillis";

    private SshxConstants() {}
}
