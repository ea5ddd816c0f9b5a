package io.caravan.app.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.caravan.core.ssh.SshTarget;

/** {@code USER@HOST[:PORT]} as commands take it on the command line. */
public record SshEndpoint(String user, String host, int port) {
    private static final Pattern FORM = Pattern.compile("([^@\\s]+)@([^:@\\s]+)(?::(\\d{1,5}))?");

    /** @throws IllegalArgumentException naming what is wrong with {@code text} */
    public static SshEndpoint parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("expected USER@HOST[:PORT], got '" + text + "'");
        }
        int port = m.group(3) == null ? SshTarget.DEFAULT_PORT : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        return new SshEndpoint(m.group(1), m.group(2), port);
    }

    public SshTarget target() {
        return SshTarget.of(user, host, port);
    }
}
