package io.caravan.app.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.SshTarget;

/** {@code USER@HOST[:PORT]} as commands take it on the command line; an IPv6 host goes in brackets. */
public record SshEndpoint(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile("([^@\\s]+)@([^@\\s]+)");

    /** @throws IllegalArgumentException naming what is wrong with {@code text} */
    public static SshEndpoint parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("expected USER@HOST[:PORT], got '" + text + "'");
        }
        HostAndPort at = HostAndPort.parse(m.group(2), SshTarget.DEFAULT_PORT);
        return new SshEndpoint(m.group(1), at.host(), at.port());
    }

    public SshTarget target() {
        return SshTarget.of(user, host, port);
    }
}
