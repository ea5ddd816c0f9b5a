package io.caravan.app.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Pattern;

import io.caravan.app.Main;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `caravan pool add-ssh | ps | remove`, with --check against a real sshd. */
class PoolCommandTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    record Run(int exit, String out, String err) {}

    private static Run caravan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aPoolIsAddedCheckedListedAndRemoved() {
        OpenSshServer s = SSHD.server();
        String endpoint = s.user() + "@" + s.host() + ":" + s.port();

        Run add = caravan(
                "pool",
                "add-ssh",
                "gpu",
                endpoint,
                "-i",
                s.clientKey().toString(),
                "--slots",
                "3",
                "--known-hosts",
                s.knownHosts().toString());
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(add.out()).contains("pool gpu: added " + endpoint + " with 3 slots");

        Run ps = caravan("pool", "ps", "--check");
        assertThat(ps.exit()).isZero();
        assertThat(ps.out())
                .containsPattern("gpu\\s+" + Pattern.quote(endpoint) + "\\s+0 busy/3 free"
                        + "\\s+-\\s+0/-\\s+0/-" // no GPUs, CPUs or memory declared: nothing reserved of an unknown
                        // total
                        + "\\s+ok \\(\\d+ ms, 1 login\\)");

        assertThat(caravan("pool", "remove", "gpu").exit()).isZero();
        assertThat(caravan("pool", "ps").out()).contains("no pools");
    }

    @Test
    void aHostWhoseKeyIsUnknownIsReportedByCheck() {
        OpenSshServer s = SSHD.server();
        caravan(
                "pool",
                "add-ssh",
                "strict",
                s.user() + "@" + s.host() + ":" + s.port(),
                "-i",
                s.clientKey().toString(),
                "--known-hosts",
                caravanHome.home().resolve("empty_known_hosts").toString());

        assertThat(caravan("pool", "ps", "--check").out())
                .contains("host_key: host key check failed")
                .contains(s.hostKeyFingerprint());
    }

    @Test
    void badInputIsRefusedWithExitTwoAndAClearMessage() {
        Path key = SSHD.server().clientKey();
        assertThat(caravan("pool", "add-ssh", "Bad Name", "u@h", "-i", key.toString())
                        .err())
                .contains("must match [a-z0-9_-]+");
        assertThat(caravan("pool", "add-ssh", "p", "nohost", "-i", key.toString())
                        .err())
                .contains("expected USER@HOST[:PORT]");
        assertThat(caravan("pool", "add-ssh", "p", "u@h:99999", "-i", key.toString())
                        .err())
                .contains("port must be 1..65535");
        assertThat(caravan("pool", "add-ssh", "p", "u@h", "-i", "/no/such/key").err())
                .contains("cannot read key file /no/such/key");
        assertThat(caravan("pool", "add-ssh", "p", "u@h", "-i", key.toString(), "--host-key-policy", "trust")
                        .err())
                .contains("unknown host key policy 'trust'");
        Run twice = caravan("pool", "add-ssh", "p", "u@h", "-i", key.toString());
        assertThat(twice.exit()).isZero();
        Run again = caravan("pool", "add-ssh", "p", "u@h", "-i", key.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("pool 'p' already has u@h:22");
        assertThat(caravan("pool", "remove", "nope").exit()).isEqualTo(2);
    }
}
