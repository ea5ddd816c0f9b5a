package io.caravan.testkit;

import java.nio.file.Path;
import java.util.List;

/** The sshd_config of a test server: OpenSSH's defaults except where a loopback test rig needs otherwise. */
record SshdConfig(String maxStartups, int maxSessions, List<String> extraLines) {

    String render(Path workDir, HostKeys keys, int port) {
        StringBuilder c = new StringBuilder();
        line(c, "ListenAddress 127.0.0.1");
        line(c, "Port " + port);
        line(c, "HostKey " + keys.hostKey);
        line(c, "PidFile " + workDir.resolve("sshd.pid"));
        line(c, "AuthorizedKeysFile " + keys.authorizedKeys);
        line(c, "StrictModes no"); // keys live under /tmp, which StrictModes rejects
        line(c, "UsePAM no");
        line(c, "PasswordAuthentication no");
        line(c, "KbdInteractiveAuthentication no");
        line(c, "PubkeyAuthentication yes");
        line(c, "PermitRootLogin prohibit-password");
        line(c, "UseDNS no");
        line(c, "PrintMotd no");
        line(c, "LogLevel VERBOSE");
        line(c, "MaxStartups " + maxStartups);
        line(c, "MaxSessions " + maxSessions);
        line(c, "AllowTcpForwarding yes");
        line(c, "Subsystem sftp internal-sftp");
        // root's ~/.bashrc runs `pyenv init` (~200 ms per exec); bash skips .bashrc under sshd when SHLVL >= 2
        // sshd takes the first SetEnv line only: extra variables join this one
        StringBuilder env = new StringBuilder("SetEnv SHLVL=1");
        extraLines.stream()
                .filter(l -> l.startsWith("SetEnv "))
                .forEach(l -> env.append(' ').append(l.substring(7).strip()));
        line(c, env.toString());
        extraLines.stream().filter(l -> !l.startsWith("SetEnv ")).forEach(l -> line(c, l));
        return c.toString();
    }

    private static void line(StringBuilder c, String line) {
        c.append(line).append('\n');
    }
}
